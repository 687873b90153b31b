/**
 * E2E evidence, not just "up succeeded": the engine's own events show that every step of the plan started only
 * after the steps it waits for had finished (for a container the plan checks: its readiness step passed), every volume the
 * plan marks stateful is still on its host after `destroy`, and every peer answers with the ledger's state after
 * a restart. Each function takes the running stack's context, so the phases can run on any network the suite
 * has brought up.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "vitest";
import { NetworkSpec } from "../../../config";
import { Step, buildPlan } from "../../../plan";
import { plannedContainers, stepResources } from "../../support/graph";

export interface ResourceEvent {
    /** The engine's sequence number: the order the engine emitted events in. */
    readonly sequence: number;
    /** The engine's timestamp (Unix seconds). */
    readonly timestamp: number;
    readonly kind: "pre" | "outputs";
    readonly op: string;
    /** The resource's name (the last part of its URN). */
    readonly name: string;
}

/** Records the resource-pre and resource-outputs events of an update; pass `onEvent` to `stack.up`. */
export class EventLog {
    readonly events: ResourceEvent[] = [];

    readonly onEvent = (e: EngineEvent): void => {
        const pre = e.resourcePreEvent?.metadata;
        const out = e.resOutputsEvent?.metadata;
        const m = pre ?? out;
        if (!m) return;
        this.events.push({
            sequence: e.sequence,
            timestamp: e.timestamp,
            kind: pre ? "pre" : "outputs",
            op: m.op,
            name: m.urn.split("::").pop()!,
        });
    };

    /** The one event of this kind for the resource; fails when there is none or several. */
    one(kind: ResourceEvent["kind"], name: string): ResourceEvent {
        const hits = this.events.filter((e) => e.kind === kind && e.name === name);
        expect(hits, `${kind} events of ${name}`).toHaveLength(1);
        return hits[0]!;
    }
}

/**
 * The resources whose resource-outputs event says a step is done: for a container with a readiness contract,
 * its readiness step (`<resource>-ready`, done once the plan's check passed), else the step's own resources.
 */
export function stepDoneResources(spec: NetworkSpec, step: Step): string[] {
    const ready = new Set(
        plannedContainers(spec)
            .filter((c) => c.readiness)
            .map((c) => `${c.resourceName}-container`),
    );
    return stepResources(spec, step).map((r) => (ready.has(r) ? r.replace(/-container$/, "-ready") : r));
}

/**
 * For every edge of the plan's step graph: the resource of the later step had its resource-pre event only after
 * the earlier step was done: its resource-outputs event, or its readiness step's for a container the plan
 * checks (plan/readiness). Returns the number of edges checked and, per tier, the
 * seconds from the first event to the last resource-outputs event of its containers.
 */
export function checkStepOrder(spec: NetworkSpec, log: EventLog): { edges: number; ready: Record<string, number> } {
    const steps = buildPlan(spec).steps;
    const violations: string[] = [];
    let edges = 0;
    for (const s of steps) {
        for (const a of s.after) {
            const before = steps.find((x) => x.id === a)!;
            for (const r of stepResources(spec, s)) {
                const start = log.one("pre", r);
                expect(start.op, r).toBe("create");
                for (const t of stepDoneResources(spec, before)) {
                    edges++;
                    const done = log.one("outputs", t);
                    if (!(done.sequence < start.sequence && done.timestamp <= start.timestamp))
                        violations.push(
                            `${r} started (event ${start.sequence}, t=${start.timestamp}) before ${t} was done (event ${done.sequence}, t=${done.timestamp})`,
                        );
                }
            }
        }
    }
    expect(violations).toEqual([]);
    const t0 = Math.min(...log.events.map((e) => e.timestamp));
    const ready: Record<string, number> = {};
    for (const kind of ["zookeeper", "kafka", "orderer", "peer", "cli"] as const) {
        const names = steps.filter((s) => s.kind === kind).flatMap((s) => stepDoneResources(spec, s));
        if (names.length > 0) ready[kind] = Math.max(...names.map((n) => log.one("outputs", n).timestamp)) - t0;
    }
    return { edges, ready };
}

/** The volumes the plan marks stateful, per host: what `destroy` must leave when protectVolumes is on. */
export function statefulVolumes(spec: NetworkSpec): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const c of plannedContainers(spec))
        for (const v of c.volumes.filter((x) => x.stateful)) out.set(c.host, [...(out.get(c.host) ?? []), v.volume]);
    return out;
}

/**
 * After `destroy`: no container on any host, and every stateful volume still on its host. `volumesOn` lists a
 * host's volumes (`docker volume ls -q` there). Returns how many volumes were checked.
 */
export async function checkProtectedVolumesKept(
    spec: NetworkSpec,
    volumesOn: (host: string) => Promise<string[]>,
): Promise<number> {
    let n = 0;
    for (const [host, expected] of statefulVolumes(spec)) {
        const present = await volumesOn(host);
        for (const v of expected) {
            expect(present, `${v} on ${host}`).toContain(v);
            n++;
        }
    }
    return n;
}
