/**
 * The ordering service: the nodes the consensus needs besides the orderers (for Kafka: a ZooKeeper ensemble
 * and a Kafka cluster), then the orderers. What those nodes are, and which component each group forms, comes
 * from the plan's ordering variant (plan/ordering); nothing here knows the consensus type. Each container
 * has a readiness step (see nodeContainer), and each waits for the readiness of the steps the plan's step
 * graph puts before it.
 */
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetworkSpec } from "../config/spec";
import {
    ContainerSpec,
    Carry,
    OrderingNodeGroup,
    carryScript,
    ordererCarry,
    ordererAddresses,
    ordererContainer,
    stepId,
} from "../plan";
import { nodeContainer, volumeResourceName } from "./container";
import { Host } from "./host";
import { StepRegistry } from "./registry";

export interface TierArgs {
    readonly spec: NetworkSpec;
    readonly hosts: ReadonlyMap<string, Host>;
    readonly steps: StepRegistry;
}

/**
 * A moved node's carry (plan/carry): run on the operator's machine, which holds both hosts' logins, once the
 * new host has the node's image; the node's container waits for it. It runs once: a later `up` with the same
 * move changes nothing, and the script itself carries nothing when the data is already on the new host.
 */
function carryStep(
    parent: pulumi.ComponentResource,
    args: TierArgs,
    c: ContainerSpec,
    carry: Carry,
): command.local.Command {
    const from = args.hosts.get(carry.from)!;
    const to = args.hosts.get(c.host)!;
    const script = pulumi
        .all([from.keyFile, to.keyFile])
        .apply(([fromKey, toKey]) =>
            carryScript(
                args.spec,
                c,
                { host: from.spec, ...(fromKey ? { keyFile: fromKey } : {}) },
                { host: to.spec, ...(toKey ? { keyFile: toKey } : {}) },
                carry.marker,
            ),
        );
    return new command.local.Command(
        `${c.resourceName}-carry`,
        { create: script, interpreter: ["/bin/sh", "-c"] },
        { parent, dependsOn: [to.image(c.image)] },
    );
}

function tier(
    parent: pulumi.ComponentResource,
    args: TierArgs,
    containers: readonly { container: ContainerSpec; step: string; carry?: Carry | undefined }[],
): Map<string, docker.Container> {
    const out = new Map<string, docker.Container>();
    // The step graph's node is the readiness step: the next tier waits for the node to be ready, not started.
    for (const c of containers) {
        const host = args.hosts.get(c.container.host)!;
        const carried = c.carry ? [carryStep(parent, args, c.container, c.carry)] : [];
        const node = nodeContainer(parent, host, c.container, {
            dependsOn: [...args.steps.dependsOn(c.step), ...carried],
            retainVolumes: args.spec.protectVolumes,
        });
        args.steps.record(c.step, node.ready);
        out.set(c.step, node.container);
    }
    return out;
}

export interface OrderingNodesArgs extends TierArgs {
    readonly group: OrderingNodeGroup;
}

/**
 * One group of the consensus's own nodes (e.g. `fabric:ordering:KafkaCluster`), one container per node. The
 * type token comes from the plan, so the resources keep the URNs they had when each group had its own class.
 */
export class OrderingNodes extends pulumi.ComponentResource {
    /** Step id → container, for the step graph. */
    public readonly nodes: ReadonlyMap<string, docker.Container>;
    public readonly outputs: Readonly<Record<string, string | readonly string[]>>;

    constructor(name: string, args: OrderingNodesArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`fabric:ordering:${args.group.component}`, name, {}, opts);
        if (args.group.retired) {
            // A backend being left: its containers are removed by the migration, its volumes stay registered
            // here (same names, same parent) and are kept on their hosts when they leave the config.
            for (const n of args.group.nodes) {
                const host = args.hosts.get(n.container.host)!;
                for (const v of n.container.volumes) {
                    new docker.Volume(
                        volumeResourceName(n.container, v),
                        { name: v.volume },
                        { parent: this, provider: host.provider, retainOnDelete: true },
                    );
                }
            }
            this.nodes = new Map();
            this.outputs = {};
            this.registerOutputs({});
            return;
        }
        this.nodes = tier(
            this,
            args,
            args.group.nodes.map((n) => ({ container: n.container, step: n.step.id, carry: n.carry })),
        );
        this.outputs = args.group.outputs;
        this.registerOutputs({ ...this.outputs });
    }
}

export class OrdererSet extends pulumi.ComponentResource {
    public readonly orderers: ReadonlyMap<string, docker.Container>;
    public readonly endpoints: string[];

    constructor(name: string, args: TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:ordering:OrdererSet", name, {}, opts);
        // Each orderer waits for what the consensus needs ready first (for Kafka: every broker, since the
        // orderer creates its topics through the controller) and for its own files (MSP, TLS, genesis block).
        this.orderers = tier(
            this,
            args,
            args.spec.orderers.map((o) => ({
                container: ordererContainer(args.spec, o),
                step: stepId.orderer(o.fqdn),
                carry: ordererCarry(o),
            })),
        );
        this.endpoints = ordererAddresses(args.spec);
        this.registerOutputs({ endpoints: this.endpoints });
    }
}
