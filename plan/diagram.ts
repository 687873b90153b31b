/**
 * The network's topology as data (hosts, the containers on each, and who talks to whom) and as a Mermaid
 * flowchart: the `diagram` output and `npm run diagram`. Built from the same container specs the components
 * deploy, so the picture cannot drift from what runs.
 */
import { NetworkSpec } from "../config/spec";
import { chaincodeContainer, cliContainer, couchdbContainer, peerContainer } from "./containers";
import { packageId } from "./chaincode";
import { allPeers, chaincodeChannel, channelPeers, cliName, couchdbName, chaincodeServerName } from "./names";
import { ordererContainer } from "./orderer";
import { orderingPlan } from "./ordering";
import { ContainerSpec, Role } from "./types";

export interface TopologyNode {
    /** The container name (unique per host; across hosts too, since node names are). */
    readonly name: string;
    readonly role: Role;
    /** Published ports. */
    readonly ports: readonly number[];
}

export interface TopologyHost {
    readonly name: string;
    readonly address: string;
    readonly kind: "ssh" | "local";
    readonly nodes: readonly TopologyNode[];
}

export type LinkKind = "consensus" | "orders" | "blocks" | "gossip" | "chaincode" | "admin" | "state";

export interface TopologyLink {
    readonly from: string;
    readonly to: string;
    readonly kind: LinkKind;
}

export interface Topology {
    readonly hosts: readonly TopologyHost[];
    readonly links: readonly TopologyLink[];
}

const node = (c: ContainerSpec): TopologyNode => ({
    name: c.name,
    role: c.role,
    ports: c.ports.map((p) => p.external),
});

export function topology(spec: NetworkSpec): Topology {
    const ordering = orderingPlan(spec);
    const containers: ContainerSpec[] = [
        ...ordering.nodeGroups.flatMap((g) => g.nodes.map((n) => n.container)),
        ...spec.orderers.map((o) => ordererContainer(spec, o)),
        ...allPeers(spec).flatMap((p) => [
            peerContainer(spec, p),
            ...(p.stateDatabase === "couchdb" ? [couchdbContainer(spec, p)] : []),
            cliContainer(spec, p),
        ]),
        ...spec.chaincodes.flatMap((cc) =>
            channelPeers(spec, chaincodeChannel(spec, cc)).map((p) => chaincodeContainer(spec, cc, p, packageId(cc))),
        ),
    ];
    const hosts = spec.hosts.map((h) => ({
        name: h.name,
        address: h.address,
        kind: h.kind,
        nodes: containers.filter((c) => c.host === h.name).map(node),
    }));

    const links: TopologyLink[] = [];
    const seen = new Set<string>();
    const link = (from: string, to: string, kind: LinkKind) => {
        const key = `${from}>${to}`;
        if (from === to || seen.has(key)) return;
        seen.add(key);
        links.push({ from, to, kind });
    };
    // The consensus's own nodes connect to the groups they wait for (Kafka brokers to ZooKeeper).
    const stepToNode = new Map(ordering.nodeGroups.flatMap((g) => g.nodes.map((n) => [n.step.id, n.container.name])));
    for (const g of ordering.nodeGroups) {
        for (const n of g.nodes) {
            for (const a of n.step.after) {
                const to = stepToNode.get(a);
                if (to) link(n.container.name, to, "consensus");
            }
        }
    }
    for (const o of spec.orderers) for (const c of ordering.ordererContacts(o)) link(o.fqdn, c.name, "orders");
    const peers = allPeers(spec);
    for (const p of peers) {
        for (const o of spec.orderers) link(p.fqdn, o.fqdn, "blocks");
        if (p.stateDatabase === "couchdb") link(p.fqdn, couchdbName(p), "state");
        link(cliName(p), p.fqdn, "admin");
    }
    // Gossip across orgs goes through the anchor peers of the channels two peers share.
    for (const ch of spec.channels) {
        const members = channelPeers(spec, ch);
        for (const p of members) {
            for (const a of members.filter((x) => x.anchor && x.org !== p.org)) link(p.fqdn, a.fqdn, "gossip");
        }
    }
    for (const cc of spec.chaincodes) {
        for (const p of channelPeers(spec, chaincodeChannel(spec, cc)))
            link(p.fqdn, chaincodeServerName(cc, p), "chaincode");
    }
    return { hosts, links };
}

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");
const ARROW: Readonly<Record<LinkKind, string>> = {
    consensus: "-->",
    orders: "-->",
    blocks: "-->",
    gossip: "-.->",
    chaincode: "-->",
    admin: "-.->",
    state: "-->",
};

/** A Mermaid flowchart: one subgraph per host (name and address), one box per container, labelled links. */
export function mermaidDiagram(t: Topology): string {
    const lines = ["flowchart LR"];
    for (const h of t.hosts) {
        if (h.nodes.length === 0) continue;
        lines.push(`  subgraph host_${id(h.name)}["${h.name} (${h.kind === "local" ? "this machine" : h.address})"]`);
        for (const n of h.nodes) {
            const ports = n.ports.length ? `<br/>:${n.ports.join(", :")}` : "";
            lines.push(`    ${id(n.name)}["${n.name}<br/><i>${n.role}</i>${ports}"]`);
        }
        lines.push("  end");
    }
    for (const l of t.links) lines.push(`  ${id(l.from)} ${ARROW[l.kind]}|${l.kind}| ${id(l.to)}`);
    return `${lines.join("\n")}\n`;
}
