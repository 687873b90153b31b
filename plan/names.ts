/**
 * The bottom floor of the plan: every name, endpoint (`host:port`) and look-up (peer → org → host, channel →
 * member orgs and peers, the peer that leads a channel's steps) is resolved here, once, and every other plan
 * module and component asks here instead of recomputing it. A spec is frozen, so its index is built on first
 * use and kept for the spec's lifetime.
 */
import {
    BrokerSpec,
    ChaincodeSpec,
    ChannelSpec,
    HostSpec,
    NetworkSpec,
    OrdererSpec,
    OrgSpec,
    PeerSpec,
    ZookeeperSpec,
} from "../config/spec";

interface Index {
    readonly hosts: ReadonlyMap<string, HostSpec>;
    readonly orgs: ReadonlyMap<string, OrgSpec>;
    readonly channels: ReadonlyMap<string, ChannelSpec>;
    readonly peers: readonly PeerSpec[];
}

const indexes = new WeakMap<NetworkSpec, Index>();

function index(spec: NetworkSpec): Index {
    let ix = indexes.get(spec);
    if (!ix) {
        ix = {
            hosts: new Map(spec.hosts.map((h) => [h.name, h])),
            orgs: new Map(spec.organizations.map((o) => [o.name, o])),
            channels: new Map(spec.channels.map((c) => [c.name, c])),
            peers: spec.organizations.flatMap((o) => [...o.peers]),
        };
        indexes.set(spec, ix);
    }
    return ix;
}

// ---- look-ups (a miss is a bug: validation guarantees every reference)

export function hostByName(spec: NetworkSpec, name: string): HostSpec {
    const h = index(spec).hosts.get(name);
    if (!h) throw new Error(`internal: host ${name} not in spec`);
    return h;
}

export function orgByName(spec: NetworkSpec, name: string): OrgSpec {
    const o = index(spec).orgs.get(name);
    if (!o) throw new Error(`internal: org ${name} not in spec`);
    return o;
}

export function orgOf(spec: NetworkSpec, peer: PeerSpec): OrgSpec {
    return orgByName(spec, peer.org);
}

export function channelByName(spec: NetworkSpec, name: string): ChannelSpec {
    const c = index(spec).channels.get(name);
    if (!c) throw new Error(`internal: channel ${name} not in spec`);
    return c;
}

/** Every peer of every org, in config order. */
export function allPeers(spec: NetworkSpec): readonly PeerSpec[] {
    return index(spec).peers;
}

/** The member orgs of a channel, in the channel's order. */
export function channelOrgs(spec: NetworkSpec, ch: ChannelSpec): OrgSpec[] {
    return ch.organizations.map((n) => orgByName(spec, n));
}

/** Every peer of the channel's member orgs, in config order. */
export function channelPeers(spec: NetworkSpec, ch: ChannelSpec): PeerSpec[] {
    return allPeers(spec).filter((p) => ch.organizations.includes(p.org));
}

/** The channel a chaincode is deployed on. */
export function chaincodeChannel(spec: NetworkSpec, cc: ChaincodeSpec): ChannelSpec {
    return channelByName(spec, cc.channel);
}

/** The peer that runs an org's org-wide steps (anchor update, approval): its first peer. */
export function orgLeadPeer(org: OrgSpec): PeerSpec {
    return org.peers[0]!;
}

/** The peer that creates a channel and runs its channel-wide steps: the first peer of its first org. */
export function channelLeadPeer(spec: NetworkSpec, channel: string): PeerSpec {
    return orgLeadPeer(orgByName(spec, channelByName(spec, channel).organizations[0]!));
}

/** The peer of an org that commits and invokes send proposals to: an anchor peer, else its first peer. */
export function endorsingPeer(org: OrgSpec): PeerSpec {
    return org.peers.find((p) => p.anchor) ?? org.peers[0]!;
}

/** The orderer that the CLI steps talk to. */
export function primaryOrderer(spec: NetworkSpec): OrdererSpec {
    return spec.orderers[0]!;
}

// ---- endpoints: what other nodes dial

export const endpoint = (name: string, port: number): string => `${name}:${port}`;
export const ordererAddress = (o: OrdererSpec): string => endpoint(o.fqdn, o.port);
export const peerAddress = (p: PeerSpec): string => endpoint(p.fqdn, p.port);
/** `kafka1:9092`: the bootstrap list in the genesis block, and what each broker advertises. */
export const brokerAddress = (b: BrokerSpec): string => endpoint(b.name, b.port);
export const zookeeperAddress = (z: ZookeeperSpec): string => endpoint(z.name, z.clientPort);

export function ordererAddresses(spec: NetworkSpec): string[] {
    return spec.orderers.map(ordererAddress);
}

// ---- container names (unique per host; also each container's DNS alias on its host's network)

export const cliName = (p: PeerSpec): string => `cli.${p.fqdn}`;
export const couchdbName = (p: PeerSpec): string => `couchdb.${p.fqdn}`;
/** The chaincode server a peer dials. */
export const chaincodeServerName = (cc: ChaincodeSpec, p: PeerSpec): string => `${cc.name}.${p.fqdn}`;

// ---- Docker volume names (unique per host); the backup of a migration names the same volumes

export const VOLUME = {
    zookeeperData: (z: ZookeeperSpec) => `${z.name}-data`,
    zookeeperDatalog: (z: ZookeeperSpec) => `${z.name}-datalog`,
    kafkaLogs: (b: BrokerSpec) => `${b.name}-logs`,
    ordererLedger: (o: OrdererSpec) => `${o.fqdn}-ledger`,
    peerLedger: (p: PeerSpec) => `${p.fqdn}-ledger`,
    couchdbData: (p: PeerSpec) => `${couchdbName(p)}-data`,
} as const;

// ---- Pulumi resource names

/** Resource-name form of a DNS name: `peer0.org1.example.com` → `peer0-org1`. Unique because domains are. */
export function shortName(fqdn: string, suffixDomain?: string): string {
    const trimmed = suffixDomain && fqdn.endsWith(`.${suffixDomain}`) ? fqdn.slice(0, -suffixDomain.length - 1) : fqdn;
    return trimmed.replace(/\./g, "-");
}

export function peerResourceName(spec: NetworkSpec, p: PeerSpec): string {
    // Strip the shared parent domain of all orgs (example.com) to keep names short but unique.
    return shortName(p.fqdn, spec.ordererOrg.domain);
}

// ---- step ids: the nodes of the step graph (plan/steps), named once

export const stepId = {
    crypto: () => "crypto",
    artifacts: () => "artifacts",
    deliver: (host: string) => `deliver:${host}`,
    zookeeper: (name: string) => `zookeeper:${name}`,
    kafka: (name: string) => `kafka:${name}`,
    orderer: (fqdn: string) => `orderer:${fqdn}`,
    peer: (fqdn: string) => `peer:${fqdn}`,
    cli: (fqdn: string) => `cli:${fqdn}`,
    channelCreate: (ch: string) => `channel-create:${ch}`,
    membersCompute: (ch: string) => `members-compute:${ch}`,
    membersSign: (ch: string, org: string) => `members-sign:${ch}:${org}`,
    membersSubmit: (ch: string) => `members-submit:${ch}`,
    channelJoin: (ch: string, peer: string) => `channel-join:${ch}:${peer}`,
    anchorUpdate: (ch: string, org: string) => `anchor-update:${ch}:${org}`,
    ccInstall: (cc: string, peer: string) => `cc-install:${cc}:${peer}`,
    ccApprove: (cc: string, org: string) => `cc-approve:${cc}:${org}`,
    ccCommit: (cc: string) => `cc-commit:${cc}`,
    ccServer: (cc: string, peer: string) => `cc-server:${cc}:${peer}`,
    ccInit: (cc: string) => `cc-init:${cc}`,
    ccInstantiate: (cc: string) => `cc-instantiate:${cc}`,
} as const;
