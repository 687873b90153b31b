/**
 * Least privilege, judged on the files themselves. A stand-in for what cryptogen and configtxgen write (the
 * same layout, one file per certificate and key), the per-host file set that a manifest selects from it, and a
 * rule that says which private keys a host may hold. Nothing here reads the `secret` flag of a FileCopy: a key
 * is a key because of the file it is, not because the plan says so.
 */
import * as yaml from "js-yaml";
import { NetworkSpec } from "../../config";
import { FileCopy, allPeers, buildPlan } from "../../plan";
import { backendDomain } from "../../plan/ordering/kafka";

interface CryptoConfigDoc {
    OrdererOrgs: Array<{ Domain: string; Specs: Array<{ Hostname: string }> }>;
    PeerOrgs: Array<{ Domain: string; Specs: Array<{ Hostname: string }>; Users: { Count: number } }>;
}

/** cryptogen's files for one identity (a node or a user): MSP with a signing key, TLS with a TLS key. */
function identityFiles(dir: string, cn: string, tlsKind: "server" | "client"): string[] {
    return [
        `${dir}/msp/keystore/priv_sk`,
        `${dir}/msp/signcerts/${cn}-cert.pem`,
        `${dir}/msp/cacerts/ca-cert.pem`,
        `${dir}/msp/tlscacerts/tlsca-cert.pem`,
        `${dir}/msp/config.yaml`,
        `${dir}/tls/ca.crt`,
        `${dir}/tls/${tlsKind}.crt`,
        `${dir}/tls/${tlsKind}.key`,
    ];
}

/** One organisation's tree as cryptogen lays it out: its CAs (keys included), its MSP, nodes and users. */
function orgFiles(root: string, domain: string, nodesDir: string, nodes: string[], users: string[]): string[] {
    const base = `${root}/${domain}`;
    return [
        `${base}/ca/priv_sk`,
        `${base}/ca/ca.${domain}-cert.pem`,
        `${base}/tlsca/priv_sk`,
        `${base}/tlsca/tlsca.${domain}-cert.pem`,
        `${base}/msp/cacerts/ca.${domain}-cert.pem`,
        `${base}/msp/tlscacerts/tlsca.${domain}-cert.pem`,
        `${base}/msp/config.yaml`,
        ...nodes.flatMap((n) => identityFiles(`${base}/${nodesDir}/${n}.${domain}`, `${n}.${domain}`, "server")),
        ...users.flatMap((u) => identityFiles(`${base}/users/${u}@${domain}`, `${u}@${domain}`, "client")),
    ];
}

/**
 * Every file the crypto and artifact steps produce for this spec, read from the crypto-config.yaml the plan
 * renders (the same document cryptogen reads), plus configtxgen's outputs.
 */
export function generatedTree(spec: NetworkSpec): string[] {
    const plan = buildPlan(spec);
    const doc = yaml.load(plan.cryptoConfigYaml) as CryptoConfigDoc;
    const users = (count: number) => ["Admin", ...Array.from({ length: count }, (_, i) => `User${i + 1}`)];
    return [
        ...doc.OrdererOrgs.flatMap((o) =>
            orgFiles(
                "crypto-config/ordererOrganizations",
                o.Domain,
                "orderers",
                o.Specs.map((s) => s.Hostname),
                users(0),
            ),
        ),
        ...doc.PeerOrgs.flatMap((o) =>
            orgFiles(
                "crypto-config/peerOrganizations",
                o.Domain,
                "peers",
                o.Specs.map((s) => s.Hostname),
                users(o.Users.Count),
            ),
        ),
        "artifacts/genesis.block",
        ...spec.channels.flatMap((ch) => [
            `artifacts/${ch.name}.tx`,
            ...ch.organizations.map((n) => {
                const org = spec.organizations.find((o) => o.name === n)!;
                return `artifacts/${ch.name}-${org.mspId}-anchors.tx`;
            }),
        ]),
    ];
}

/** The generated paths a manifest entry is made of: one file or directory, or several files concatenated. */
const sourcesOf = (f: Pick<FileCopy, "from">): readonly string[] => (typeof f.from === "string" ? [f.from] : f.from);

/**
 * The generated files a host receives for its manifest, as the bundle script copies them: `cp -R from to` (a file,
 * or everything under a directory), or several files concatenated into `to`. A manifest entry that matches
 * nothing is returned in `missing`.
 */
export function delivered(
    files: readonly Pick<FileCopy, "from" | "to">[],
    tree: readonly string[],
): { from: string; to: string }[] {
    return files.flatMap((f) => {
        if (typeof f.from !== "string") {
            const parts = f.from;
            return tree.filter((p) => parts.includes(p)).map((p) => ({ from: p, to: f.to }));
        }
        const from = f.from;
        return tree
            .filter((p) => p === from || p.startsWith(`${from}/`))
            .map((p) => ({ from: p, to: f.to + p.slice(from.length) }));
    });
}

/** Every generated path a manifest names that the tree does not hold (a concatenated part must be a file). */
export function missingFromTree(files: readonly Pick<FileCopy, "from">[], tree: readonly string[]): string[] {
    return files.flatMap((f) =>
        typeof f.from === "string"
            ? tree.some((p) => p === f.from || p.startsWith(`${f.from as string}/`))
                ? []
                : [f.from]
            : sourcesOf(f).filter((part) => !tree.includes(part)),
    );
}

/**
 * The entries of a bundle's MANIFEST (plan/scripts `manifest`) that take files from the generated tree: `copy TO
 * FROM` and `cat TO FROM...`; rendered files (`put`) come from the plan, not the tree.
 */
export function manifestCopies(manifest: string): { from: string | string[]; to: string }[] {
    return manifest
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t"))
        .filter(([kind]) => kind === "copy" || kind === "cat")
        .map(([kind, to, ...from]) => ({ to: to!, from: kind === "copy" ? from[0]! : from }));
}

export function isPrivateKey(path: string): boolean {
    return /(^|\/)priv_sk$|\.key$/.test(path);
}

/** Whose key a generated private key is: a CA's, a node's or a user's, in which organisation (by domain). */
export type KeyOwner =
    | { readonly kind: "ca" | "tlsca"; readonly domain: string }
    | { readonly kind: "node"; readonly domain: string; readonly fqdn: string }
    | { readonly kind: "user"; readonly domain: string; readonly user: string };

export function keyOwner(path: string): KeyOwner {
    const m = /^crypto-config\/(?:orderer|peer)Organizations\/([^/]+)\/(ca|tlsca|orderers|peers|users)\/([^/]+)/.exec(
        path,
    );
    if (!m) throw new Error(`not a generated key path: ${path}`);
    const [, domain, kind, name] = m as unknown as [string, string, string, string];
    if (kind === "ca" || kind === "tlsca") return { kind, domain };
    if (kind === "users") return { kind: "user", domain, user: name.split("@")[0]! };
    return { kind: "node", domain, fqdn: name };
}

/** Every node that holds an identity of the material, with the host it runs on. */
function nodesOf(spec: NetworkSpec): { fqdn: string; host: string }[] {
    const nodes = [...spec.orderers, ...allPeers(spec)].map((n) => ({ fqdn: n.fqdn, host: n.host }));
    if (spec.ordering.type === "kafka" && spec.tls) {
        // The backend's own identities (TLS only): ZooKeeper servers and brokers, each under its own CA.
        const k = spec.ordering;
        nodes.push(
            ...k.zookeepers.map((z) => ({ fqdn: `${z.name}.${backendDomain.zookeeper(spec)}`, host: z.host })),
            ...k.kafka.brokers.map((b) => ({ fqdn: `${b.name}.${backendDomain.kafka(spec)}`, host: b.host })),
        );
    }
    return nodes;
}

/**
 * The private keys `host` may hold: the keys of the nodes it runs, and the admin of each peer org that has a
 * peer on it (its CLI acts as that admin). Never a CA key, another node's key, a plain user's key, the orderer
 * org's admin, or another org's admin.
 */
export function keyAllowed(spec: NetworkSpec, host: string, owner: KeyOwner): boolean {
    switch (owner.kind) {
        case "ca":
        case "tlsca":
            return false;
        case "node":
            return nodesOf(spec).some((n) => n.fqdn === owner.fqdn && n.host === host);
        case "user":
            return (
                owner.user === "Admin" &&
                allPeers(spec).some(
                    (p) => p.host === host && spec.organizations.find((o) => o.name === p.org)!.domain === owner.domain,
                )
            );
    }
}

/** Every private key among `paths` (generated paths a host receives) that the host must not hold. */
export function forbiddenKeys(spec: NetworkSpec, host: string, paths: readonly string[]): string[] {
    return paths.filter((p) => isPrivateKey(p) && !keyAllowed(spec, host, keyOwner(p)));
}
