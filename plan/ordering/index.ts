/**
 * The consensus of the ordering service as a variant. Each `spec.ordering.type` has one module here that
 * supplies everything that differs between consensus types; the rest of the plan and the components use this
 * interface and never branch on the type. Adding a consenter adds a module and one line in VARIANTS.
 */
import { Carry } from "../carry";
import { NetworkSpec, OrdererSpec, OrderingType } from "../../config/spec";
import { BindMount, ContainerSpec, FileCopy, RenderedFile, Step } from "../types";
import type { MigrationPlan } from "./migration";
import { etcdraftOrdering } from "./etcdraft";
import { kafkaOrdering } from "./kafka";

/** A name another node must resolve, and the host it runs on (see extraHostsFor). */
export interface Contact {
    readonly name: string;
    readonly host: string;
}

/** One node the consensus needs besides the orderers (a ZooKeeper server, a Kafka broker). */
export interface OrderingNode {
    readonly container: ContainerSpec;
    /** Its step in the step graph, with the edges it waits for. */
    readonly step: Step;
    /**
     * Set when the node moves: the host it ran on, and the file its data directory holds once it has run.
     * Its stateful volumes are carried from there before it starts (plan/carry).
     */
    readonly carry?: Carry;
}

/** A group of such nodes that forms one component (an ensemble, a cluster). */
export interface OrderingNodeGroup {
    /** Resource name of the component, e.g. `kafka`. */
    readonly name: string;
    /** Component type, e.g. `KafkaCluster`: the component's type token is `fabric:ordering:<component>`. */
    readonly component: string;
    readonly nodes: readonly OrderingNode[];
    /** The component's public outputs (connect strings, bootstrap lists). */
    readonly outputs: Readonly<Record<string, string | readonly string[]>>;
    /**
     * A backend being left (Kafka after a migration to Raft): its containers are gone from the plan (the
     * migration removes them), its volumes stay, kept on the hosts, and its nodes take no part in the step graph.
     */
    readonly retired: boolean;
}

/** What one consensus type contributes to the plan. */
export interface OrderingPlan {
    readonly type: OrderingType;
    /** Name of the configtx.yaml profile that makes the system channel's genesis block. */
    readonly genesisProfile: string;
    /**
     * The consensus part of configtx.yaml's Orderer section: `OrdererType` plus the type's own key (e.g.
     * `Kafka`); the rest of the section (addresses, batch, policies) is the same for every type.
     */
    readonly configtx: { readonly OrdererType: string } & Readonly<Record<string, unknown>>;
    /** Environment the orderer needs for this consensus, on top of its general settings. */
    ordererEnv(o: OrdererSpec): Readonly<Record<string, string>>;
    /** Names the orderer must resolve for this consensus, besides the other orderers. */
    ordererContacts(o: OrdererSpec): readonly Contact[];
    /** Bind mounts the orderer needs for this consensus, below its directory `dir` on its host. */
    ordererBinds(o: OrdererSpec, dir: string): readonly BindMount[];
    /**
     * Organisations this consensus adds to crypto-config.yaml's `OrdererOrgs` (for Kafka with TLS: the CAs that
     * identify the ZooKeeper servers and the brokers). They only ever grow the material (cryptogen extend), and
     * none of them is in a channel's configuration, so they carry no authority in Fabric.
     */
    readonly cryptoOrgs: readonly Readonly<Record<string, unknown>>[];
    /** Files of the generated material this consensus needs on `host` (its nodes' keys, the orderers' trust). */
    files(host: string): readonly FileCopy[];
    /** Files the plan renders for this consensus's nodes on `host` (e.g. a broker's server.properties). */
    rendered(host: string): readonly RenderedFile[];
    /** Nodes the consensus runs besides the orderers, grouped by component, in start order. */
    readonly nodeGroups: readonly OrderingNodeGroup[];
    /** Steps every orderer waits for (besides its own host's delivery). */
    readonly ordererAfter: readonly string[];
    /** The Kafka → Raft migration (or its abort) while the config says so; null otherwise. */
    readonly migration: MigrationPlan | null;
}

/** The one place that maps a consensus type to its module; the compiler checks that every type has one. */
function variantPlan(spec: NetworkSpec): OrderingPlan {
    const ordering = spec.ordering;
    switch (ordering.type) {
        case "kafka":
            return kafkaOrdering(spec, ordering);
        case "etcdraft":
            return etcdraftOrdering(spec, ordering);
    }
}

const plans = new WeakMap<NetworkSpec, OrderingPlan>();

/** The plan of the spec's consensus type, computed once per spec. */
export function orderingPlan(spec: NetworkSpec): OrderingPlan {
    let p = plans.get(spec);
    if (!p) {
        p = variantPlan(spec);
        plans.set(spec, p);
    }
    return p;
}

/** Every running node of the consensus besides the orderers, in start order (retired groups excluded). */
export function orderingNodes(spec: NetworkSpec): OrderingNode[] {
    return orderingPlan(spec)
        .nodeGroups.filter((g) => !g.retired)
        .flatMap((g) => [...g.nodes]);
}

/** Hosts that run a node of the consensus besides the orderers. */
export function orderingNodeHosts(spec: NetworkSpec): Set<string> {
    return new Set(orderingNodes(spec).map((n) => n.container.host));
}
