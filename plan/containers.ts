/**
 * Per-role container specs: environment exactly as ../shared/reference/fabric-kafka.md prescribes, ports,
 * named volumes, bind mounts from the host's workdir, and the `extra_hosts` each node needs to resolve the
 * nodes it talks to on other hosts. Nodes on the same host find each other through the host's Docker network.
 * Here: the shared pieces of every builder, and the peer-side roles; the orderer is in plan/orderer, the
 * consensus's own nodes (ZooKeeper, Kafka) in plan/ordering.
 */
import { ChaincodeSpec, HostSpec, NetworkSpec, PeerSpec } from "../config/spec";
import { CLI, CONTAINER, WORKDIR } from "./layout";
import {
    VOLUME,
    allPeers,
    channelOrgs,
    endorsingPeer,
    chaincodeServerName,
    cliName,
    couchdbName,
    endpoint,
    hostByName,
    orgOf,
    peerAddress,
    peerResourceName,
} from "./names";
import { chaincodeReadiness, couchdbReadiness, peerReadiness } from "./readiness";
import { ContainerSpec, ExtraHost, PortMapping } from "./types";

/** The Docker network every container of the network joins on its host. */
export const NETWORK_NAME = "fabric-kafka";

export function published(host: HostSpec, port: number): PortMapping {
    // A local host is the operator's own machine: publish on loopback only.
    return { internal: port, external: port, ip: host.kind === "local" ? "127.0.0.1" : "0.0.0.0" };
}

/**
 * `extra_hosts` entries for the names `node` must reach: only those placed on another host (same-host names
 * resolve through the Docker network), never the node's own name, sorted for stable diffs.
 */
export function extraHostsFor(
    spec: NetworkSpec,
    fromHost: string,
    names: ReadonlyArray<{ name: string; host: string }>,
): ExtraHost[] {
    const seen = new Map<string, string>();
    for (const n of names) {
        if (n.host === fromHost) continue;
        seen.set(n.name, hostByName(spec, n.host).address);
    }
    return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([host, ip]) => ({ host, ip }));
}

/** The orderers as names to resolve: every peer, CLI and orderer talks to them. */
export const ordererNames = (spec: NetworkSpec) => spec.orderers.map((o) => ({ name: o.fqdn, host: o.host }));

/** Every anchor peer of every org: peers resolve them for cross-org gossip (the old runbook's defect 7). */
function anchorPeers(spec: NetworkSpec): PeerSpec[] {
    return allPeers(spec).filter((p) => p.anchor);
}

export function peerEnv(spec: NetworkSpec, p: PeerSpec): Record<string, string> {
    const org = orgOf(spec, p);
    const others = org.peers.filter((x) => x.name !== p.name);
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: spec.logging,
        CORE_PEER_ID: p.fqdn,
        CORE_PEER_ADDRESS: peerAddress(p),
        CORE_PEER_LISTENADDRESS: `0.0.0.0:${p.port}`,
        CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${CONTAINER.peer.chaincodeListenPort}`,
        CORE_PEER_CHAINCODEADDRESS: endpoint(p.fqdn, CONTAINER.peer.chaincodeListenPort),
        CORE_PEER_GOSSIP_BOOTSTRAP: (others.length > 0 ? others : [p]).map(peerAddress).join(" "),
        // Without an external endpoint other orgs never learn of this peer.
        CORE_PEER_GOSSIP_EXTERNALENDPOINT: peerAddress(p),
        // Every peer pulls blocks from the orderers itself: no leader election to lose.
        CORE_PEER_GOSSIP_USELEADERELECTION: "false",
        CORE_PEER_GOSSIP_ORGLEADER: "true",
        CORE_PEER_LOCALMSPID: p.mspId,
        CORE_PEER_MSPCONFIGPATH: CONTAINER.peer.msp,
        CORE_PEER_FILESYSTEMPATH: CONTAINER.peer.ledger,
        CORE_PEER_TLS_ENABLED: String(spec.tls),
        CORE_OPERATIONS_LISTENADDRESS: `0.0.0.0:${p.operationsPort}`,
        CORE_METRICS_PROVIDER: "prometheus",
        CORE_LEDGER_STATE_STATEDATABASE: p.stateDatabase === "couchdb" ? "CouchDB" : "goleveldb",
    };
    if (spec.tls) {
        env.CORE_PEER_TLS_CERT_FILE = `${CONTAINER.peer.tls}/server.crt`;
        env.CORE_PEER_TLS_KEY_FILE = `${CONTAINER.peer.tls}/server.key`;
        env.CORE_PEER_TLS_ROOTCERT_FILE = `${CONTAINER.peer.tls}/ca.crt`;
    }
    if (spec.fabricVersion === "2.5") {
        // No Docker socket: chaincode runs as a service (CCaaS) that the peer dials. The peer's configuration
        // ignores an empty environment value, so the official image's `vm.endpoint` (the Docker socket) is also
        // cleared in its core.yaml by `peerStartCommand`.
        env.CORE_VM_ENDPOINT = "";
        env.CORE_CHAINCODE_EXTERNALBUILDERS =
            "[{name: ccaas_builder, path: /opt/hyperledger/ccaas_builder, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]";
        env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG = JSON.stringify({ peername: p.fqdn });
    }
    if (p.stateDatabase === "couchdb") {
        env.CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS = endpoint(couchdbName(p), p.couchdbPort);
        // Username and password are secrets: the PeerNode component adds them from random.RandomPassword.
    }
    return env;
}

/** Names a peer (and its CLI) must resolve: orderers, its org's peers, every other org's anchor peers. */
function peerContacts(spec: NetworkSpec, p: PeerSpec) {
    const org = orgOf(spec, p);
    return [
        ...ordererNames(spec),
        ...org.peers.filter((x) => x.name !== p.name).map((x) => ({ name: x.fqdn, host: x.host })),
        ...anchorPeers(spec)
            .filter((x) => x.org !== p.org)
            .map((x) => ({ name: x.fqdn, host: x.host })),
    ];
}

/**
 * What a CLI's scripts dial: the orderers, its own peer, and the endorsing peer of each org on its channels
 * (commit and invoke send to one peer per org). Not every peer of the network: that made every CLI's host
 * list, and so the whole plan, grow with the square of the peer count.
 */
function cliContacts(spec: NetworkSpec, p: PeerSpec) {
    const endorsers = spec.channels
        .filter((c) => c.organizations.includes(p.org))
        .flatMap((c) => channelOrgs(spec, c).map(endorsingPeer));
    return [...ordererNames(spec), ...[p, ...endorsers].map((x) => ({ name: x.fqdn, host: x.host }))];
}

/**
 * The peer's command when it runs without Docker (Fabric 2.5, chaincode as a service): the image's own `peer node
 * start` on a copy of the image's core.yaml whose `vm.endpoint` is empty. The official images ship Fabric's sample
 * core.yaml, which names the Docker socket; with an endpoint set, the peer registers a Docker health check that
 * fails without the socket, so `/healthz` (its readiness) would never answer 200. An environment variable cannot
 * clear it: the peer ignores empty ones. The copy lives in the container's /tmp, so each start takes the image's
 * current file.
 */
export function peerStartCommand(): string[] {
    const script = [
        `cfg=/tmp/fabric-kafka-cfg`,
        `mkdir -p "$cfg"`,
        String.raw`sed 's#^\( *endpoint:\) *unix:///var/run/docker\.sock *$#\1 ""#' "$FABRIC_CFG_PATH/core.yaml" > "$cfg/core.yaml"`,
        `FABRIC_CFG_PATH=$cfg exec peer node start`,
    ].join(" && ");
    return ["bash", "-c", script];
}

export function peerContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    const host = hostByName(spec, p.host);
    const dir = `${host.workdir}/${WORKDIR.peerNode(p)}`;
    return {
        name: p.fqdn,
        resourceName: peerResourceName(spec, p),
        role: "peer",
        host: p.host,
        image: "peer",
        hostname: p.fqdn,
        env: peerEnv(spec, p),
        command: spec.fabricVersion === "2.5" ? peerStartCommand() : null,
        ports: [published(host, p.port)],
        volumes: [{ volume: VOLUME.peerLedger(p), containerPath: CONTAINER.peer.ledger, stateful: true }],
        binds: [
            { hostPath: `${dir}/msp`, containerPath: CONTAINER.peer.msp, readOnly: true },
            { hostPath: `${dir}/tls`, containerPath: CONTAINER.peer.tls, readOnly: true },
        ],
        extraHosts: extraHostsFor(spec, p.host, peerContacts(spec, p)),
        aliases: [p.fqdn],
        restart: "unless-stopped",
        readiness: peerReadiness(spec, p.fqdn, p.operationsPort),
    };
}

/**
 * The tools container that runs the `peer` CLI for this peer's steps, as its org's admin. Everything it
 * needs (admin MSP, CA certificates, artifacts, fetched blocks, packages) is in the host's workdir, bind
 * mounted: a restart or re-creation loses nothing (the old runbook's problem P1).
 */
export function cliContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    const host = hostByName(spec, p.host);
    const org = orgOf(spec, p);
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: "WARNING",
        CORE_PEER_ADDRESS: peerAddress(p),
        CORE_PEER_LOCALMSPID: p.mspId,
        CORE_PEER_MSPCONFIGPATH: CLI.adminMsp,
        CORE_PEER_TLS_ENABLED: String(spec.tls),
    };
    if (spec.tls) env.CORE_PEER_TLS_ROOTCERT_FILE = CLI.tlsCa(org.domain);
    return {
        name: cliName(p),
        resourceName: `${peerResourceName(spec, p)}-cli`,
        role: "cli",
        host: p.host,
        image: "tools",
        hostname: cliName(p),
        env,
        command: ["sleep", "infinity"],
        ports: [],
        volumes: [],
        binds: [{ hostPath: `${host.workdir}/${WORKDIR.cli(p)}`, containerPath: CONTAINER.cli.work, readOnly: false }],
        extraHosts: extraHostsFor(spec, p.host, cliContacts(spec, p)),
        aliases: [cliName(p)],
        restart: "unless-stopped",
        readiness: null,
    };
}

/** The chaincode-as-a-service container beside one peer; CHAINCODE_ID is the package id (see plan/chaincode). */
export function chaincodeContainer(
    spec: NetworkSpec,
    cc: ChaincodeSpec,
    p: PeerSpec,
    packageId: string,
): ContainerSpec {
    return {
        name: chaincodeServerName(cc, p),
        resourceName: `${cc.name}-${peerResourceName(spec, p)}`,
        role: "chaincode",
        host: p.host,
        image: "chaincode",
        hostname: chaincodeServerName(cc, p),
        env: { CHAINCODE_SERVER_ADDRESS: `0.0.0.0:${cc.port}`, CHAINCODE_ID: packageId },
        command: null,
        ports: [],
        volumes: [],
        binds: [],
        extraHosts: [],
        aliases: [chaincodeServerName(cc, p)],
        restart: "unless-stopped",
        readiness: chaincodeReadiness(spec, chaincodeServerName(cc, p), p.fqdn, cc.port),
    };
}

/** The peer's CouchDB, on the peer's host and network only (5984 is never published). */
export function couchdbContainer(spec: NetworkSpec, p: PeerSpec): ContainerSpec {
    return {
        name: couchdbName(p),
        resourceName: `${peerResourceName(spec, p)}-couchdb`,
        role: "couchdb",
        host: p.host,
        image: "couchdb",
        hostname: couchdbName(p),
        // COUCHDB_USER / COUCHDB_PASSWORD come from random.RandomPassword in the PeerNode component.
        env: {},
        command: null,
        ports: [],
        volumes: [{ volume: VOLUME.couchdbData(p), containerPath: CONTAINER.couchdb.data, stateful: true }],
        binds: [],
        extraHosts: [],
        aliases: [couchdbName(p)],
        restart: "unless-stopped",
        readiness: couchdbReadiness(spec, couchdbName(p), p.couchdbPort),
    };
}
