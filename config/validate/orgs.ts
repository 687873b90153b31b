/**
 * Organisations: the orderer org, the peer orgs with their peers and anchor peers; names, MSP ids and domains
 * as Fabric accepts them, the host names their containers get, and the ports inside each peer container.
 */
import { DEFAULTS } from "../defaults";
import { configPath, show } from "../errors";
import { RawConfig } from "../schema";
import { OrdererOrgSpec, OrgSpec, PeerSpec } from "../spec";
import { didYouMean } from "../suggest";
import { Collector, ContainerPorts, Context, Path } from "./collector";
import { CONFIG_ID_ALLOWED, CONFIG_ID_RE, DOMAIN_RE, HOSTNAME_MAX, MSPID_RE, NAME_RE } from "./values";

/** The peer's chaincode listener inside its container (CORE_PEER_CHAINCODELISTENADDRESS); fixed by the plan. */
export const PEER_CHAINCODE_LISTEN_PORT = 7052;

export function normalizeOrdererOrg(cfg: RawConfig, c: Collector): OrdererOrgSpec {
    const oo = cfg.network?.ordererOrg ?? {};
    const ordererOrg = {
        name: oo.name ?? DEFAULTS.ordererOrg.name,
        mspId: oo.mspId ?? DEFAULTS.ordererOrg.mspId,
        domain: oo.domain ?? DEFAULTS.ordererOrg.domain,
    };
    const path = ["network", "ordererOrg"] as const;
    if (!CONFIG_ID_RE.test(ordererOrg.name))
        c.err([...path, "name"], `found ${show(ordererOrg.name)}; allowed: ${CONFIG_ID_ALLOWED}`);
    if (!MSPID_RE.test(ordererOrg.mspId))
        c.err([...path, "mspId"], `found ${show(ordererOrg.mspId)}; allowed: ${CONFIG_ID_ALLOWED}`);
    if (!DOMAIN_RE.test(ordererOrg.domain)) {
        c.err(
            [...path, "domain"],
            `found ${show(ordererOrg.domain)}; allowed: a lower-case DNS domain such as example.com`,
        );
    }
    return ordererOrg;
}

/**
 * A container's host name is `<prefix><fqdn>`; Linux refuses one longer than 64 bytes when the container starts.
 * Reported at the name that makes it long.
 */
export function checkHostname(c: Collector, path: Path, hostname: string, what: string): void {
    if (hostname.length > HOSTNAME_MAX) {
        c.err(
            path,
            `makes the ${what} host name ${show(hostname)} ${hostname.length} characters long; allowed: at most ${HOSTNAME_MAX} (Linux's limit), so shorten the name or the domain`,
        );
    }
}

export function normalizeOrganizations(cfg: RawConfig, ctx: Context, ordererOrg: OrdererOrgSpec): OrgSpec[] {
    const { c } = ctx;
    const mspIds = new Map<string, string>([[ordererOrg.mspId, configPath(["network", "ordererOrg", "mspId"])]]);
    const orgNames = new Map<string, number>();
    const domains = new Map<string, string>([[ordererOrg.domain, configPath(["network", "ordererOrg", "domain"])]]);
    return cfg.organizations.map((o, i) => {
        const path = ["organizations", i] as const;
        if (!CONFIG_ID_RE.test(o.name))
            c.err([...path, "name"], `found ${show(o.name)}; allowed: ${CONFIG_ID_ALLOWED}`);
        if (!MSPID_RE.test(o.mspId)) c.err([...path, "mspId"], `found ${show(o.mspId)}; allowed: ${CONFIG_ID_ALLOWED}`);
        const prevMsp = mspIds.get(o.mspId);
        if (prevMsp) c.err([...path, "mspId"], `duplicate MSP id ${show(o.mspId)}, already used by ${prevMsp}`);
        mspIds.set(o.mspId, configPath([...path, "mspId"]));
        const prevOrg = orgNames.get(o.name);
        if (prevOrg !== undefined)
            c.err(
                [...path, "name"],
                `duplicate organisation name ${show(o.name)}, already used by organizations[${prevOrg}]`,
            );
        else orgNames.set(o.name, i);
        if (!DOMAIN_RE.test(o.domain))
            c.err(
                [...path, "domain"],
                `found ${show(o.domain)}; allowed: a lower-case DNS domain such as org1.example.com`,
            );
        const prevDom = domains.get(o.domain);
        if (prevDom) c.err([...path, "domain"], `duplicate domain ${show(o.domain)}, already used by ${prevDom}`);
        domains.set(o.domain, configPath([...path, "domain"]));
        if (o.peers.length === 0) c.err([...path, "peers"], "needs at least 1 peer, found 0");
        const peerNames = o.peers.map((p) => p.name);
        const anchors = o.anchorPeers ?? (o.peers[0] ? [o.peers[0].name] : []);
        anchors.forEach((a, j) => {
            if (!peerNames.includes(a))
                c.err(
                    [...path, "anchorPeers", j],
                    `unknown peer ${show(a)};${didYouMean(a, peerNames)} allowed: ${peerNames.join(", ")}`,
                );
        });
        const seen = new Set<string>();
        const peers: PeerSpec[] = o.peers.map((p, j) => {
            const ppath = [...path, "peers", j] as const;
            ctx.hosts.check([...ppath, "host"], p.host);
            if (!NAME_RE.test(p.name))
                c.err([...ppath, "name"], `found ${show(p.name)}; allowed: lower-case letters, digits and '-'`);
            if (seen.has(p.name))
                c.err([...ppath, "name"], `duplicate peer name ${show(p.name)} in organisation ${o.name}`);
            seen.add(p.name);
            const spec: PeerSpec = {
                name: p.name,
                fqdn: `${p.name}.${o.domain}`,
                org: o.name,
                mspId: o.mspId,
                host: p.host,
                port: p.port ?? DEFAULTS.peer.port,
                operationsPort: p.operationsPort ?? DEFAULTS.peer.operationsPort,
                anchor: anchors.includes(p.name),
                stateDatabase: p.stateDatabase ?? DEFAULTS.peer.stateDatabase,
                couchdbPort: DEFAULTS.peer.couchdbPort,
            };
            // The CLI container's name is the longest the peer always has; CouchDB's when the peer has one.
            checkHostname(c, [...ppath, "name"], `cli.${spec.fqdn}`, "CLI container's");
            if (spec.stateDatabase === "couchdb")
                checkHostname(c, [...ppath, "name"], `couchdb.${spec.fqdn}`, "CouchDB container's");
            ctx.ports.claim(p.host, spec.port, [...ppath, "port"], spec.fqdn);
            const inside = new ContainerPorts(c, spec.fqdn);
            inside.claim(PEER_CHAINCODE_LISTEN_PORT, null, "chaincode listen port (fixed)");
            inside.claim(spec.port, [...ppath, "port"], "listen port");
            inside.claim(spec.operationsPort, [...ppath, "operationsPort"], "operations port");
            return spec;
        });
        return { name: o.name, mspId: o.mspId, domain: o.domain, users: o.users ?? DEFAULTS.org.users, peers };
    });
}
