/**
 * The ordering service, tier by tier: ZooKeeper ensemble → Kafka cluster → orderers. Each tier's containers
 * wait for their health check (see nodeContainer), and each tier depends on the whole previous tier being
 * ready, as the plan's step graph says.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetworkSpec } from "../config/spec";
import { ContainerSpec, kafkaContainer, ordererContainer, stepId, zookeeperContainer } from "../plan";
import { nodeContainer } from "./container";
import { Host } from "./host";
import { StepRegistry } from "./registry";

export interface TierArgs {
    readonly spec: NetworkSpec;
    readonly hosts: ReadonlyMap<string, Host>;
    readonly steps: StepRegistry;
}

function tier(
    parent: pulumi.ComponentResource,
    args: TierArgs,
    containers: { spec: ContainerSpec; step: string }[],
): Map<string, docker.Container> {
    const out = new Map<string, docker.Container>();
    for (const c of containers) {
        const host = args.hosts.get(c.spec.host)!;
        const node = nodeContainer(parent, host, c.spec, {
            dependsOn: args.steps.dependsOn(c.step),
            retainVolumes: args.spec.protectVolumes,
        });
        args.steps.record(c.step, node.container);
        out.set(c.step, node.container);
    }
    return out;
}

export class ZookeeperEnsemble extends pulumi.ComponentResource {
    /** Step id → container, for the step graph. */
    public readonly nodes: ReadonlyMap<string, docker.Container>;
    public readonly connectString: string;

    constructor(name: string, args: TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:ordering:ZookeeperEnsemble", name, {}, opts);
        // No edges between ZooKeeper nodes: they start together, and each is healthy only once in quorum.
        this.nodes = tier(
            this,
            args,
            args.spec.ordering.zookeepers.map((z) => ({
                spec: zookeeperContainer(args.spec, z),
                step: stepId.zookeeper(z.name),
            })),
        );
        this.connectString = args.spec.ordering.zookeepers.map((z) => `${z.name}:${z.clientPort}`).join(",");
        this.registerOutputs({ connectString: this.connectString });
    }
}

export class KafkaCluster extends pulumi.ComponentResource {
    public readonly brokers: ReadonlyMap<string, docker.Container>;
    public readonly bootstrapServers: string[];

    constructor(name: string, args: TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:ordering:KafkaCluster", name, {}, opts);
        // Every broker waits for the whole ensemble (quorum first), each broker is its own resource, so a
        // change to one broker's settings replaces that broker only.
        this.brokers = tier(
            this,
            args,
            args.spec.ordering.kafka.brokers.map((b) => ({
                spec: kafkaContainer(args.spec, b),
                step: stepId.kafka(b.name),
            })),
        );
        this.bootstrapServers = args.spec.ordering.kafka.brokers.map((b) => `${b.name}:${b.port}`);
        this.registerOutputs({ bootstrapServers: this.bootstrapServers });
    }
}

export class OrdererSet extends pulumi.ComponentResource {
    public readonly orderers: ReadonlyMap<string, docker.Container>;
    public readonly endpoints: string[];

    constructor(name: string, args: TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:ordering:OrdererSet", name, {}, opts);
        // Orderers need every broker ready on first start (they create their topics through the controller)
        // and their own files delivered (MSP, TLS, genesis block).
        this.orderers = tier(
            this,
            args,
            args.spec.orderers.map((o) => ({
                spec: ordererContainer(args.spec, o),
                step: stepId.orderer(o.fqdn),
            })),
        );
        this.endpoints = args.spec.orderers.map((o) => `${o.fqdn}:${o.port}`);
        this.registerOutputs({ endpoints: this.endpoints });
    }
}
