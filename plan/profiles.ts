/**
 * What an application needs to use the network, assembled from the spec and the crypto material: per org a
 * connection profile, its client users' identities, and the ready folder `npm run identity` writes.
 *
 * Every address is the one the operator's machine dials, not the node's name: a node on a `local` host is
 * reached through 127.0.0.1 (its ports are published on loopback only), a node on an `ssh` host through the
 * host's address. Each endpoint names the node's TLS host name as an override, because the certificates are
 * issued to `peer0.org1.example.com`, not to the address dialled.
 */
import { HostSpec, NetworkSpec, OrgSpec } from "../config/spec";
import { ArchiveFiles } from "./archive";
import { GENERATED } from "./layout";
import { channelOrgs, endpoint, hostByName } from "./names";

/** TLS CA certificate (PEM) per org domain, peer orgs and the orderer org. */
export type TlsCaCertificates = Readonly<Record<string, string>>;

/** One client user of an org, as cryptogen made it (`User1@org1.example.com`). */
export interface ClientIdentity {
    readonly mspId: string;
    /** `User1`. */
    readonly user: string;
    /** `User1@org1.example.com`: the wallet label. */
    readonly label: string;
    readonly certificate: string;
    readonly privateKey: string;
}

/** Per MSP id, per user name. */
export type ClientIdentities = Readonly<Record<string, Readonly<Record<string, ClientIdentity>>>>;

/** The address the operator's machine dials for a node published on `host`. */
export function operatorAddress(host: HostSpec): string {
    return host.kind === "local" ? "127.0.0.1" : host.address;
}

/** `User1`..`UserN` of an org (cryptogen's `Users.Count`). */
export function clientUsers(org: OrgSpec): string[] {
    return Array.from({ length: org.users }, (_, i) => `User${i + 1}`);
}

function text(files: ArchiveFiles, path: string): string {
    const f = files.get(path);
    if (!f) throw new Error(`crypto material: ${path} is missing (was the material generated for this spec?)`);
    return f.toString("utf8");
}

/** The TLS CA certificates of every org, read from the crypto material. Public: no key is read. */
export function tlsCaCertificates(spec: NetworkSpec, files: ArchiveFiles): TlsCaCertificates {
    const pems: Record<string, string> = { [spec.ordererOrg.domain]: text(files, GENERATED.ordererTlsCa(spec)) };
    for (const o of spec.organizations) pems[o.domain] = text(files, GENERATED.orgTlsCa(o));
    return pems;
}

/** The client users of every org (certificate and private key), read from the crypto material. Secret. */
export function clientIdentities(spec: NetworkSpec, files: ArchiveFiles): ClientIdentities {
    return Object.fromEntries(
        spec.organizations.map((org) => [
            org.mspId,
            Object.fromEntries(
                clientUsers(org).map((user) => {
                    const msp = GENERATED.orgUserMsp(org, user);
                    const label = `${user}@${org.domain}`;
                    // cryptogen names the key `priv_sk` since Fabric 2.0, `<ski>_sk` before: take the one file there.
                    const keys = [...files.keys()].filter((p) => p.startsWith(`${msp}/keystore/`)).sort();
                    if (keys.length !== 1) {
                        throw new Error(`crypto material: expected one key in ${msp}/keystore, found ${keys.length}`);
                    }
                    const identity: ClientIdentity = {
                        mspId: org.mspId,
                        user,
                        label,
                        certificate: text(files, `${msp}/signcerts/${label}-cert.pem`),
                        privateKey: text(files, keys[0]!),
                    };
                    return [user, identity];
                }),
            ),
        ]),
    );
}

export interface ProfileNode {
    readonly url: string;
    readonly tlsCACerts?: { readonly pem: string };
    readonly grpcOptions: Readonly<Record<string, string>>;
}

/** A Fabric common connection profile, the shape `fabric-network` reads (and any other client can). */
export interface ConnectionProfile {
    readonly name: string;
    readonly version: string;
    readonly client: { readonly organization: string };
    readonly organizations: Readonly<Record<string, { readonly mspid: string; readonly peers: readonly string[] }>>;
    readonly peers: Readonly<Record<string, ProfileNode>>;
    readonly orderers: Readonly<Record<string, ProfileNode>>;
    readonly channels: Readonly<
        Record<
            string,
            {
                readonly orderers: readonly string[];
                readonly peers: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
            }
        >
    >;
}

function node(spec: NetworkSpec, fqdn: string, hostName: string, port: number, pem: string | undefined): ProfileNode {
    const address = endpoint(operatorAddress(hostByName(spec, hostName)), port);
    if (!spec.tls) return { url: `grpc://${address}`, grpcOptions: {} };
    return {
        url: `grpcs://${address}`,
        tlsCACerts: { pem: pem ?? "" },
        // Both spellings: fabric-network reads ssl-target-name-override, the gateway client's grpc-js option is
        // grpc.ssl_target_name_override (our helpers pass hostnameOverride through to it).
        grpcOptions: { "ssl-target-name-override": fqdn, hostnameOverride: fqdn },
    };
}

/**
 * One org's connection profile: every peer and orderer of the network at its operator-side address, and the
 * channels the org is a member of with all their peers (so that, without discovery, endorsement still reaches
 * every org a policy may require).
 */
export function connectionProfile(spec: NetworkSpec, org: OrgSpec, tlsCa: TlsCaCertificates): ConnectionProfile {
    const peers = Object.fromEntries(
        spec.organizations.flatMap((o) =>
            o.peers.map((p) => [p.fqdn, node(spec, p.fqdn, p.host, p.port, tlsCa[o.domain])]),
        ),
    );
    const orderers = Object.fromEntries(
        spec.orderers.map((o) => [o.fqdn, node(spec, o.fqdn, o.host, o.port, tlsCa[spec.ordererOrg.domain])]),
    );
    const channels = Object.fromEntries(
        spec.channels
            .filter((c) => c.organizations.includes(org.name))
            .map((c) => {
                const members = channelOrgs(spec, c);
                const roles = { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true };
                return [
                    c.name,
                    {
                        orderers: spec.orderers.map((o) => o.fqdn),
                        peers: Object.fromEntries(members.flatMap((o) => o.peers.map((p) => [p.fqdn, roles]))),
                    },
                ];
            }),
    );
    return {
        name: `fabric-kafka-${org.name.toLowerCase()}`,
        version: "1.0.0",
        client: { organization: org.mspId },
        organizations: Object.fromEntries(
            spec.organizations.map((o) => [o.mspId, { mspid: o.mspId, peers: o.peers.map((p) => p.fqdn) }]),
        ),
        peers,
        orderers,
        channels,
    };
}

/** Every org's profile, as JSON text per MSP id (the `connectionProfiles` output). */
export function connectionProfiles(spec: NetworkSpec, tlsCa: TlsCaCertificates): Record<string, string> {
    return Object.fromEntries(
        spec.organizations.map((o) => [o.mspId, JSON.stringify(connectionProfile(spec, o, tlsCa), null, 2)]),
    );
}
