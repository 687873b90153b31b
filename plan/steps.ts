/**
 * The step graph: what must exist before what, as data. Pulumi's mocks cannot show `dependsOn`, so the order
 * is proved here, on plain data, and the components translate each edge into `dependsOn`.
 *
 * Tiers: crypto/artifacts → delivery → the consensus's own nodes (Kafka: ZooKeeper → Kafka; plan/ordering)
 * → orderers → peers (and their CLIs) → channel
 * (create → join → anchor update) → chaincode: new lifecycle (install → approve → commit → init) or legacy
 * lifecycle (install → instantiate, which runs init); an install needs only its running peer, so it goes beside
 * the channel's steps; each chaincode server starts after its own peer's install, beside approve and commit. The
 * CLIs wait only for their host's files, so the channel's creation does not wait for a peer to start.
 */
import { NetworkSpec } from "../config/spec";
import { allPeers, channelLeadPeer, channelOrgs, channelPeers, chaincodeChannel, orgLeadPeer, stepId } from "./names";
import { membershipLead, membershipSigners } from "./members";
import { orderingNodes, orderingPlan } from "./ordering";
import { hostFiles, needsArtifacts } from "./files";
import { Step, StepKind } from "./types";

/** Rank of each kind in the prescribed order; every edge goes from a lower or equal rank to a higher one. */
export const TIER: Readonly<Record<StepKind, number>> = {
    crypto: 0,
    artifacts: 1,
    deliver: 2,
    zookeeper: 3,
    kafka: 4,
    orderer: 5,
    peer: 6,
    cli: 7,
    "channel-create": 8,
    // A running channel's member orgs brought in line with the config (plan/members) before any join.
    "members-compute": 8.1,
    "members-sign": 8.2,
    "members-submit": 8.3,
    "channel-join": 9,
    "anchor-update": 10,
    "cc-install": 11,
    "cc-approve": 12,
    "cc-commit": 13,
    "cc-server": 14,
    "cc-init": 15,
    // Legacy lifecycle: instantiate/upgrade calls the chaincode's Init, so its servers must be up before.
    "cc-instantiate": 15,
    // The migration runs between the delivery of the files and the orderers (which it restarts as Raft), then
    // ends maintenance once they run; the peers reconnect after that.
    "migrate-admin": 2.1,
    "migrate-check": 2.2,
    "migrate-maintenance": 2.3,
    "migrate-stop": 2.4,
    "migrate-backup": 2.5,
    "migrate-restore": 2.5,
    "migrate-restart": 2.6,
    "migrate-switch": 2.7,
    "migrate-halt": 2.8,
    "migrate-leader": 5.1,
    "migrate-resume": 5.1,
    "migrate-normal": 5.2,
    "migrate-reconnect": 7.5,
    "migrate-remove": 7.5,
};

/** The last step of a chaincode's deployment: after it, the chaincode answers queries. */
export function chaincodeReadyStep(cc: { readonly name: string; readonly lifecycle: string }): string {
    return cc.lifecycle === "legacy" ? stepId.ccInstantiate(cc.name) : stepId.ccInit(cc.name);
}

/**
 * Hosts that receive files: every host running an orderer or a peer, and every host where the consensus's own
 * nodes need files (for Kafka: a broker's server.properties; with TLS, the backend's key and trust stores).
 */
export function deliveryHosts(spec: NetworkSpec): string[] {
    const ordering = orderingPlan(spec);
    const hosts = new Set([...spec.orderers.map((o) => o.host), ...allPeers(spec).map((p) => p.host)]);
    return spec.hosts
        .map((h) => h.name)
        .filter((h) => hosts.has(h) || ordering.files(h).length > 0 || ordering.rendered(h).length > 0);
}

export function stepGraph(spec: NetworkSpec): Step[] {
    const steps: Step[] = [];
    const add = (id: string, kind: StepKind, host: string | null, after: string[]) =>
        steps.push({ id, kind, host, after });

    add(stepId.crypto(), "crypto", null, []);
    add(stepId.artifacts(), "artifacts", null, [stepId.crypto()]);
    for (const h of deliveryHosts(spec))
        add(stepId.deliver(h), "deliver", h, [
            stepId.crypto(),
            ...(needsArtifacts(hostFiles(spec, h)) ? [stepId.artifacts()] : []),
        ]);

    // The consensus's own nodes, with their edges, then the orderers after whatever the consensus says.
    const ordering = orderingPlan(spec);
    for (const n of orderingNodes(spec)) steps.push(n.step);
    // A migration's steps carry their own edges (phase after phase, around the orderers' restart).
    const migration = ordering.migration;
    if (migration) {
        steps.push(migration.admin.step);
        for (const s of migration.steps) steps.push({ id: s.id, kind: s.kind, host: s.host, after: s.after });
    }
    const orderers = spec.orderers.map((o) => stepId.orderer(o.fqdn));
    spec.orderers.forEach((o) =>
        add(stepId.orderer(o.fqdn), "orderer", o.host, [...ordering.ordererAfter, stepId.deliver(o.host)]),
    );
    for (const p of allPeers(spec)) {
        add(stepId.peer(p.fqdn), "peer", p.host, [...orderers, stepId.deliver(p.host)]);
        // The CLI is a shell with the org admin's files: it needs its host's files, not a running peer, so the
        // channel's creation (which talks to the orderers only) does not wait for the lead peer to start.
        add(stepId.cli(p.fqdn), "cli", p.host, [stepId.deliver(p.host)]);
    }

    for (const ch of spec.channels) {
        const lead = channelLeadPeer(spec, ch.name);
        add(stepId.channelCreate(ch.name), "channel-create", lead.host, [...orderers, stepId.cli(lead.fqdn)]);
        // The membership update: computed by the lead, signed by each other member org in turn (on its own
        // host), submitted by the lead. A peer of an org other than the lead's joins only after it: a new org's
        // peers cannot fetch the channel before the channel knows their org.
        const managed = spec.manageChannelMembers;
        if (managed) {
            add(stepId.membersCompute(ch.name), "members-compute", lead.host, [stepId.channelCreate(ch.name)]);
            let previous = stepId.membersCompute(ch.name);
            for (const org of membershipSigners(spec, ch)) {
                const signer = orgLeadPeer(org);
                add(stepId.membersSign(ch.name, org.name), "members-sign", signer.host, [
                    previous,
                    stepId.cli(signer.fqdn),
                ]);
                previous = stepId.membersSign(ch.name, org.name);
            }
            add(stepId.membersSubmit(ch.name), "members-submit", lead.host, [previous]);
        }
        const leadOrg = membershipLead(spec, ch).name;
        const members = channelPeers(spec, ch);
        for (const p of members) {
            add(stepId.channelJoin(ch.name, p.fqdn), "channel-join", p.host, [
                managed && p.org !== leadOrg ? stepId.membersSubmit(ch.name) : stepId.channelCreate(ch.name),
                stepId.peer(p.fqdn),
                stepId.cli(p.fqdn),
            ]);
        }
        for (const org of channelOrgs(spec, ch)) {
            add(
                stepId.anchorUpdate(ch.name, org.name),
                "anchor-update",
                orgLeadPeer(org).host,
                org.peers.map((p) => stepId.channelJoin(ch.name, p.fqdn)),
            );
        }
    }

    for (const cc of spec.chaincodes) {
        const ch = chaincodeChannel(spec, cc);
        const members = channelPeers(spec, ch);
        // An install needs a running peer, not a channel (a package is installed on the peer, for every channel):
        // it runs while the channel is created and joined, instead of after the join.
        for (const p of members) {
            add(stepId.ccInstall(cc.name, p.fqdn), "cc-install", p.host, [stepId.peer(p.fqdn), stepId.cli(p.fqdn)]);
        }
        const lead = channelLeadPeer(spec, ch.name);
        // A chaincode server starts once its own peer has the package (so a new version's server replaces the old
        // one only when the peer knows it), not after the definition's commit: it then starts while the orgs
        // approve and commit, instead of after them. Whatever asks a peer about the channel waits for that peer's
        // join (its ledger caught up): approvals for their org's peers; init (and the verification after it),
        // legacy instantiate, through the anchor updates, for every member peer.
        for (const p of members) {
            add(stepId.ccServer(cc.name, p.fqdn), "cc-server", p.host, [stepId.ccInstall(cc.name, p.fqdn)]);
        }
        if (cc.lifecycle === "legacy") {
            add(stepId.ccInstantiate(cc.name), "cc-instantiate", lead.host, [
                ...members.map((p) => stepId.ccServer(cc.name, p.fqdn)),
                ...ch.organizations.map((o) => stepId.anchorUpdate(ch.name, o)),
            ]);
            continue;
        }
        // An approval is an endorser transaction and needs only its org's joins and installs, not the anchor peers
        // (a channel config update of its own): the two go to the orderer side by side. Init waits for every anchor
        // update, so when `up` ends, clients using discovery find every org's peers.
        for (const org of channelOrgs(spec, ch)) {
            add(stepId.ccApprove(cc.name, org.name), "cc-approve", orgLeadPeer(org).host, [
                ...org.peers.map((p) => stepId.channelJoin(ch.name, p.fqdn)),
                ...org.peers.map((p) => stepId.ccInstall(cc.name, p.fqdn)),
            ]);
        }
        add(
            stepId.ccCommit(cc.name),
            "cc-commit",
            lead.host,
            ch.organizations.map((o) => stepId.ccApprove(cc.name, o)),
        );
        add(stepId.ccInit(cc.name), "cc-init", lead.host, [
            stepId.ccCommit(cc.name),
            ...members.map((p) => stepId.ccInstall(cc.name, p.fqdn)),
            ...members.map((p) => stepId.ccServer(cc.name, p.fqdn)),
            ...ch.organizations.map((o) => stepId.anchorUpdate(ch.name, o)),
        ]);
    }
    return steps;
}

/** Kahn's algorithm; throws on a cycle or a dangling edge. Used by the components and the tests. */
export function topologicalOrder(steps: readonly Step[]): Step[] {
    const byId = new Map(steps.map((s) => [s.id, s]));
    const indegree = new Map(steps.map((s) => [s.id, 0]));
    for (const s of steps) {
        for (const a of s.after) {
            if (!byId.has(a)) throw new Error(`step ${s.id} depends on unknown step ${a}`);
            indegree.set(s.id, indegree.get(s.id)! + 1);
        }
    }
    const ready = steps.filter((s) => indegree.get(s.id) === 0);
    const out: Step[] = [];
    while (ready.length > 0) {
        const s = ready.shift()!;
        out.push(s);
        for (const t of steps) {
            if (!t.after.includes(s.id)) continue;
            indegree.set(t.id, indegree.get(t.id)! - 1);
            if (indegree.get(t.id) === 0) ready.push(t);
        }
    }
    if (out.length !== steps.length) throw new Error("the step graph has a cycle");
    return out;
}
