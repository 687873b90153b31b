/**
 * The folder `npm run identity` writes for one client user of one org: everything an application needs, laid
 * out so that the stock clients use it as it is.
 *
 *   connection-profile.json     the org's connection profile (fabric-network's `Gateway.connect`)
 *   gateway.json                endpoints, TLS name overrides and file paths for @hyperledger/fabric-gateway
 *   msp/signcerts/cert.pem      the user's certificate
 *   msp/keystore/priv_sk        the user's private key (owner-only)
 *   tls/<domain>-ca.pem         the TLS CA certificate of each org (peers and orderers)
 *   wallet/<label>.id           the same identity as a fabric-network file-system wallet entry (owner-only)
 *   README.md                   how to connect with either client
 */
import { ClientIdentity, ConnectionProfile, ProfileNode } from "./profiles";

export interface FolderFile {
    /** Relative to the folder. */
    readonly path: string;
    readonly content: string;
    /** Holds the private key: written owner-only. */
    readonly secret: boolean;
}

/** What `gateway.json` holds: plain facts, read by scripts/lib/gateway.ts or any application. */
export interface GatewayConfig {
    readonly mspId: string;
    readonly identity: { readonly label: string; readonly certificate: string; readonly privateKey: string };
    /** The org's own peers: the gateway client talks to one of them, which endorses and orders for it. */
    readonly peers: ReadonlyArray<{
        readonly name: string;
        /** `host:port` as dialled from the operator's machine. */
        readonly endpoint: string;
        /** The TLS host name to expect (absent without TLS). */
        readonly hostnameOverride?: string;
        /** Relative path of the TLS CA certificate (absent without TLS). */
        readonly tlsCACert?: string;
    }>;
    /** Channel → chaincodes deployed on it. */
    readonly channels: Readonly<Record<string, { readonly chaincodes: readonly string[] }>>;
    /** The options fabric-network's `Gateway.connect` needs besides the profile and the wallet. */
    readonly fabricNetwork: {
        readonly profile: string;
        readonly wallet: string;
        readonly identity: string;
        readonly discovery: { readonly enabled: boolean; readonly asLocalhost: boolean };
    };
}

export const APP_FILES = {
    profile: "connection-profile.json",
    gateway: "gateway.json",
    certificate: "msp/signcerts/cert.pem",
    privateKey: "msp/keystore/priv_sk",
    wallet: "wallet",
    tlsCa: (domain: string) => `tls/${domain}-ca.pem`,
} as const;

/** `peer0.org1.example.com` → `org1.example.com`: node names are `<name>.<org domain>` by construction. */
function domainOf(fqdn: string): string {
    return fqdn.slice(fqdn.indexOf(".") + 1);
}

function hostOf(n: ProfileNode): string {
    return n.url.replace(/^grpcs?:\/\//, "").replace(/:\d+$/, "");
}

export function gatewayConfig(
    profile: ConnectionProfile,
    identity: ClientIdentity,
    chaincodes: Readonly<Record<string, { readonly channel: string }>>,
): GatewayConfig {
    const org = profile.organizations[identity.mspId];
    if (!org) throw new Error(`the profile has no organization ${identity.mspId}`);
    const peers = org.peers.map((name) => {
        const p = profile.peers[name]!;
        const endpoint = p.url.replace(/^grpcs?:\/\//, "");
        return p.tlsCACerts
            ? { name, endpoint, hostnameOverride: name, tlsCACert: APP_FILES.tlsCa(domainOf(name)) }
            : { name, endpoint };
    });
    const channels = Object.fromEntries(
        Object.keys(profile.channels).map((ch) => [
            ch,
            {
                chaincodes: Object.entries(chaincodes)
                    .filter(([, c]) => c.channel === ch)
                    .map(([name]) => name)
                    .sort(),
            },
        ]),
    );
    // fabric-network's discovery returns the nodes' own names and ports; `asLocalhost` turns the names into
    // localhost, which only reaches them when every node is published on this machine's loopback. Otherwise it
    // must use the profile's addresses, i.e. no discovery.
    const nodes = [...Object.values(profile.peers), ...Object.values(profile.orderers)];
    const allLocal = nodes.length > 0 && nodes.every((n) => hostOf(n) === "127.0.0.1");
    return {
        mspId: identity.mspId,
        identity: { label: identity.label, certificate: APP_FILES.certificate, privateKey: APP_FILES.privateKey },
        peers,
        channels,
        fabricNetwork: {
            profile: APP_FILES.profile,
            wallet: APP_FILES.wallet,
            identity: identity.label,
            discovery: { enabled: allLocal, asLocalhost: allLocal },
        },
    };
}

/** The TLS CA certificate of each domain the profile names, in name order. */
function tlsFiles(profile: ConnectionProfile): FolderFile[] {
    const byDomain = new Map<string, string>();
    for (const [name, n] of [...Object.entries(profile.peers), ...Object.entries(profile.orderers)]) {
        if (n.tlsCACerts) byDomain.set(domainOf(name), n.tlsCACerts.pem);
    }
    return [...byDomain.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([domain, pem]) => ({ path: APP_FILES.tlsCa(domain), content: pem, secret: false }));
}

function readme(g: GatewayConfig): string {
    const peer = g.peers[0];
    const channel = Object.keys(g.channels)[0] ?? "<channel>";
    const cc = g.channels[channel]?.chaincodes[0] ?? "<chaincode>";
    return [
        `# ${g.identity.label} (${g.mspId})`,
        "",
        "Written by `npm run identity`. `msp/keystore/priv_sk` and `wallet/` hold the private key: keep them private.",
        "",
        "## @hyperledger/fabric-gateway",
        "",
        "```js",
        `const g = JSON.parse(fs.readFileSync("gateway.json", "utf8"));`,
        "const peer = g.peers[0];",
        "const client = new grpc.Client(peer.endpoint, peer.tlsCACert",
        "    ? grpc.credentials.createSsl(fs.readFileSync(peer.tlsCACert))",
        "    : grpc.credentials.createInsecure(),",
        "    peer.hostnameOverride ? { 'grpc.ssl_target_name_override': peer.hostnameOverride } : {});",
        "const gateway = connect({",
        "    client,",
        "    identity: { mspId: g.mspId, credentials: fs.readFileSync(g.identity.certificate) },",
        "    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(g.identity.privateKey))),",
        "    hash: hash.sha256,",
        "});",
        `const contract = gateway.getNetwork(${JSON.stringify(channel)}).getContract(${JSON.stringify(cc)});`,
        "```",
        "",
        peer ? `It talks to ${peer.name} at ${peer.endpoint}; that peer endorses, orders and reports commits.` : "",
        "",
        "## fabric-network",
        "",
        "```js",
        `const wallet = await Wallets.newFileSystemWallet(${JSON.stringify(g.fabricNetwork.wallet)});`,
        `const profile = JSON.parse(fs.readFileSync(${JSON.stringify(g.fabricNetwork.profile)}, "utf8"));`,
        "const gateway = new Gateway();",
        `await gateway.connect(profile, { wallet, identity: ${JSON.stringify(g.fabricNetwork.identity)}, discovery: ${JSON.stringify(g.fabricNetwork.discovery)} });`,
        "```",
        "",
        g.fabricNetwork.discovery.enabled
            ? "Every node is on this machine's loopback, so discovery works with `asLocalhost`."
            : "Discovery is off: it would return node names this machine cannot resolve; the profile's addresses are used.",
        "",
    ].join("\n");
}

/** The files of the folder, in a stable order. */
export function applicationFolder(
    profile: ConnectionProfile,
    identity: ClientIdentity,
    chaincodes: Readonly<Record<string, { readonly channel: string }>>,
): FolderFile[] {
    const g = gatewayConfig(profile, identity, chaincodes);
    const walletEntry = {
        credentials: { certificate: identity.certificate, privateKey: identity.privateKey },
        mspId: identity.mspId,
        type: "X.509",
        version: 1,
    };
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    return [
        { path: APP_FILES.profile, content: json(profile), secret: false },
        { path: APP_FILES.gateway, content: json(g), secret: false },
        { path: APP_FILES.certificate, content: identity.certificate, secret: false },
        { path: APP_FILES.privateKey, content: identity.privateKey, secret: true },
        ...tlsFiles(profile),
        { path: `${APP_FILES.wallet}/${identity.label}.id`, content: json(walletEntry), secret: true },
        { path: "README.md", content: readme(g), secret: false },
    ];
}
