/**
 * Least privilege, as data: for each host, exactly the generated files it receives and where they land.
 * An orderer host gets its own orderer's MSP and TLS and the genesis block; a peer host its own peer's MSP
 * and TLS, its org's admin identity for the CLI, and only public CA certificates of the other orgs; the
 * consensus's own nodes get what its plan says (for Kafka with TLS: each ZooKeeper server and broker its own key
 * and the CA certificates of whom it trusts, and an orderer host the brokers' CA certificate).
 */
import { NetworkSpec } from "../config/spec";
import { GENERATED, WORKDIR } from "./layout";
import { allPeers, orgOf } from "./names";
import { orderingPlan } from "./ordering";
import { FileCopy, RenderedFile } from "./types";

/** Files from the crypto step (cryptogen output) for one host. */
export function cryptoFilesFor(spec: NetworkSpec, host: string): FileCopy[] {
    const out: FileCopy[] = [];
    for (const o of spec.orderers.filter((x) => x.host === host)) {
        const src = GENERATED.orderer(spec, o);
        const dst = WORKDIR.orderer(o);
        out.push({ from: `${src}/msp`, to: `${dst}/msp` });
        out.push({ from: `${src}/tls`, to: `${dst}/tls` });
    }
    for (const p of allPeers(spec).filter((x) => x.host === host)) {
        const org = orgOf(spec, p);
        const node = WORKDIR.peerNode(p);
        const cli = WORKDIR.cli(p);
        out.push({ from: `${GENERATED.peer(org, p)}/msp`, to: `${node}/msp` });
        out.push({ from: `${GENERATED.peer(org, p)}/tls`, to: `${node}/tls` });
        // The CLI acts as the org admin for channel and chaincode steps.
        out.push({ from: GENERATED.orgAdmin(org), to: `${cli}/admin/msp` });
        // Public TLS CA certificates only: the orderer org's and every peer org's (for cross-org endorsement).
        out.push({
            from: GENERATED.ordererTlsCa(spec),
            to: `${cli}/tlsca/${spec.ordererOrg.domain}.pem`,
        });
        for (const other of spec.organizations) {
            out.push({ from: GENERATED.orgTlsCa(other), to: `${cli}/tlsca/${other.domain}.pem` });
        }
    }
    return out;
}

/** Files from the channel-artifacts step (configtxgen output) for one host. */
export function artifactFilesFor(spec: NetworkSpec, host: string): FileCopy[] {
    const out: FileCopy[] = [];
    for (const o of spec.orderers.filter((x) => x.host === host)) {
        out.push({ from: GENERATED.genesis, to: `${WORKDIR.orderer(o)}/genesis.block` });
    }
    for (const p of allPeers(spec).filter((x) => x.host === host)) {
        const cli = WORKDIR.cli(p);
        for (const ch of spec.channels.filter((c) => c.organizations.includes(p.org))) {
            out.push({ from: GENERATED.channelTx(ch.name), to: `${cli}/artifacts/${ch.name}.tx` });
            out.push({
                from: GENERATED.anchorsTx(ch.name, p.mspId),
                to: `${cli}/artifacts/${ch.name}-${p.mspId}-anchors.tx`,
            });
        }
    }
    return out;
}

/** Files the plan renders for one host (e.g. a broker's server.properties). */
export function renderedFilesFor(spec: NetworkSpec, host: string): RenderedFile[] {
    return [...orderingPlan(spec).rendered(host)];
}

/** Every generated file one host receives: its crypto, its configtxgen output and what the consensus adds. */
export function hostFiles(spec: NetworkSpec, host: string): FileCopy[] {
    return [...cryptoFilesFor(spec, host), ...artifactFilesFor(spec, host), ...orderingPlan(spec).files(host)];
}

/**
 * Whether a host's delivery carries configtxgen output (a genesis block, channel transactions). A host that runs
 * only ZooKeeper or Kafka gets keys and rendered files alone, so its delivery need not wait for configtxgen.
 */
export function needsArtifacts(files: readonly FileCopy[]): boolean {
    const sources = (f: FileCopy): readonly string[] => (typeof f.from === "string" ? [f.from] : f.from);
    return files.some((f) => sources(f).some((x) => x.startsWith(GENERATED.artifactsRoot)));
}
