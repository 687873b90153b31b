/** Organisations: the orderer org, the peer orgs with their peers and anchor peers; names, MSP ids and domains. */
import { DEFAULTS } from "../defaults";
import { configPath, show } from "../errors";
import { RawConfig } from "../schema";
import { OrdererOrgSpec, OrgSpec, PeerSpec } from "../spec";
import { Collector, Context } from "./collector";
import { DOMAIN_RE, MSPID_RE, NAME_RE } from "./values";

export function normalizeOrdererOrg(cfg: RawConfig, c: Collector): OrdererOrgSpec {
    const oo = cfg.network?.ordererOrg ?? {};
    const ordererOrg = {
        name: oo.name ?? DEFAULTS.ordererOrg.name,
        mspId: oo.mspId ?? DEFAULTS.ordererOrg.mspId,
        domain: oo.domain ?? DEFAULTS.ordererOrg.domain,
    };
    if (!DOMAIN_RE.test(ordererOrg.domain)) {
        c.err(
            ["network", "ordererOrg", "domain"],
            `found ${show(ordererOrg.domain)}; allowed: a lower-case DNS domain such as example.com`,
        );
    }
    return ordererOrg;
}

export function normalizeOrganizations(cfg: RawConfig, ctx: Context, ordererOrg: OrdererOrgSpec): OrgSpec[] {
    const { c } = ctx;
    const mspIds = new Map<string, string>([[ordererOrg.mspId, configPath(["network", "ordererOrg", "mspId"])]]);
    const orgNames = new Set<string>();
    const domains = new Map<string, string>([[ordererOrg.domain, configPath(["network", "ordererOrg", "domain"])]]);
    return cfg.organizations.map((o, i) => {
        const path = ["organizations", i] as const;
        if (!MSPID_RE.test(o.mspId))
            c.err([...path, "mspId"], `found ${show(o.mspId)}; allowed: letters, digits, '.', '_' and '-'`);
        const prevMsp = mspIds.get(o.mspId);
        if (prevMsp) c.err([...path, "mspId"], `duplicate MSP id ${show(o.mspId)}, already used by ${prevMsp}`);
        mspIds.set(o.mspId, configPath([...path, "mspId"]));
        if (orgNames.has(o.name)) c.err([...path, "name"], `duplicate organisation name ${show(o.name)}`);
        orgNames.add(o.name);
        if (!DOMAIN_RE.test(o.domain))
            c.err(
                [...path, "domain"],
                `found ${show(o.domain)}; allowed: a lower-case DNS domain such as org1.example.com`,
            );
        const prevDom = domains.get(o.domain);
        if (prevDom) c.err([...path, "domain"], `duplicate domain ${show(o.domain)}, already used by ${prevDom}`);
        domains.set(o.domain, configPath([...path, "domain"]));
        if (o.peers.length === 0) c.err([...path, "peers"], "needs at least 1 peer, found 0");
        const peerNames = new Set(o.peers.map((p) => p.name));
        const anchors = o.anchorPeers ?? (o.peers[0] ? [o.peers[0].name] : []);
        anchors.forEach((a, j) => {
            if (!peerNames.has(a))
                c.err([...path, "anchorPeers", j], `unknown peer ${show(a)}; allowed: ${[...peerNames].join(", ")}`);
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
            ctx.ports.claim(p.host, spec.port, [...ppath, "port"], spec.fqdn);
            return spec;
        });
        return { name: o.name, mspId: o.mspId, domain: o.domain, users: o.users ?? DEFAULTS.org.users, peers };
    });
}
