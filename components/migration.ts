/**
 * The Kafka → Raft migration (or its abort) as resources: the orderer admin's CLI container, then one command
 * per step of the plan (plan/ordering/migration), each on its host and after the steps the plan puts before it.
 * The steps interleave with the orderers' replacement, so they are created in rounds: `advance()` creates every
 * step whose predecessors exist, and the root component calls it again after each tier it creates.
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkSpec } from "../config/spec";
import { MigrationPlan } from "../plan";
import { nodeContainer } from "./container";
import { Host } from "./host";
import { StepRegistry } from "./registry";

export interface KafkaToRaftArgs {
    readonly spec: NetworkSpec;
    readonly plan: MigrationPlan;
    readonly hosts: ReadonlyMap<string, Host>;
    readonly steps: StepRegistry;
}

export class KafkaToRaft extends pulumi.ComponentResource {
    /** Where each volume was backed up: host, volume, file. Listed so the operator knows what to keep. */
    public readonly backups: { host: string; volume: string; file: string }[];
    public readonly mode: string;
    private readonly pending: MigrationPlan["steps"][number][];
    private readonly args: KafkaToRaftArgs;

    constructor(name: string, args: KafkaToRaftArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:ordering:KafkaToRaft", name, {}, opts);
        this.args = args;
        const { plan, hosts, steps } = args;
        this.mode = plan.mode;
        this.backups = plan.backups.map((b) => ({ host: b.host, volume: b.volume, file: b.file }));
        const admin = plan.admin;
        const node = nodeContainer(this, hosts.get(admin.container.host)!, admin.container, {
            dependsOn: steps.dependsOn(admin.step.id),
            retainVolumes: true,
        });
        steps.record(admin.step.id, node.container);
        this.pending = [...plan.steps];
        this.advance();
    }

    /** Creates every step whose predecessors all exist; returns how many remain. */
    advance(): number {
        const { hosts, steps } = this.args;
        for (let progress = true; progress;) {
            progress = false;
            for (const s of [...this.pending]) {
                if (!s.after.every((a) => steps.has(a))) continue;
                const step = hosts
                    .get(s.host!)!
                    .run(s.resourceName, { create: s.script }, { parent: this, dependsOn: steps.dependsOn(s.id) });
                steps.record(s.id, step);
                this.pending.splice(this.pending.indexOf(s), 1);
                progress = true;
            }
        }
        return this.pending.length;
    }

    /** After the last tier: every step must exist by now, or the plan and the components disagree. */
    finish(): void {
        if (this.advance() > 0) {
            throw new Error(
                `internal: migration steps never became ready: ${this.pending.map((s) => s.id).join(", ")}`,
            );
        }
        this.registerOutputs({ mode: this.mode, backups: this.backups });
    }
}
