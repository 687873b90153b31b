import * as pulumi from "@pulumi/pulumi";
import { Step } from "../plan";

/**
 * The plan's step graph, filled in with resources as the components create them. `dependsOn(id)` turns the
 * plan's edges into resource dependencies; asking for a step that does not exist yet is a programming error,
 * caught here rather than silently dropping an edge.
 */
export class StepRegistry {
    private readonly steps: ReadonlyMap<string, Step>;
    private readonly done = new Map<string, pulumi.Resource[]>();

    constructor(steps: readonly Step[]) {
        this.steps = new Map(steps.map((s) => [s.id, s]));
    }

    record(id: string, ...resources: pulumi.Resource[]): void {
        if (!this.steps.has(id)) throw new Error(`internal: step ${id} is not in the plan`);
        this.done.set(id, [...(this.done.get(id) ?? []), ...resources]);
    }

    /** True once a resource was recorded for the step. */
    has(id: string): boolean {
        return this.done.has(id);
    }

    resources(id: string): pulumi.Resource[] {
        const r = this.done.get(id);
        if (!r) throw new Error(`internal: step ${id} is needed before it was created`);
        return r;
    }

    /** The resources of every step that `id` must wait for. */
    dependsOn(id: string): pulumi.Resource[] {
        const s = this.steps.get(id);
        if (!s) throw new Error(`internal: step ${id} is not in the plan`);
        return s.after.flatMap((a) => this.resources(a));
    }
}
