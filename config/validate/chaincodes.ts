/** Chaincodes: names, their channel, the lifecycle the Fabric version allows, and the endorsement policy. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { ChaincodeSpec, ChannelSpec, FabricVersion, OrgSpec } from "../spec";
import { Collector, Path } from "./collector";
import { CHAINCODE_RE } from "./values";

export function normalizeChaincodes(
    cfg: RawConfig,
    c: Collector,
    fabricVersion: FabricVersion,
    channels: readonly ChannelSpec[],
    organizations: readonly OrgSpec[],
): ChaincodeSpec[] {
    const orgByName = new Map(organizations.map((o) => [o.name, o]));
    const lifecyclesByChannel = new Map<string, Set<string>>();
    const chaincodes = (cfg.chaincodes ?? []).map((cc, i): ChaincodeSpec => {
        const path = ["chaincodes", i] as const;
        if (!CHAINCODE_RE.test(cc.name))
            c.err(
                [...path, "name"],
                `found ${show(cc.name)}; allowed: letters and digits, separated by single '-' or '_'`,
            );
        const channel = channels.find((ch) => ch.name === cc.channel);
        if (!channel)
            c.err(
                [...path, "channel"],
                `unknown channel ${show(cc.channel)}; allowed: ${channels.map((ch) => ch.name).join(", ") || "(no channels configured)"}`,
            );
        const lifecycle = cc.lifecycle ?? (fabricVersion === "1.4" ? "legacy" : DEFAULTS.chaincode.lifecycle);
        if (lifecycle === "v2" && fabricVersion === "1.4") {
            c.err(
                [...path, "lifecycle"],
                `"v2" needs Fabric 2.x, but network.fabricVersion is "1.4"; allowed: "legacy"`,
            );
        } else if (fabricVersion === "1.4") {
            // Chaincode runs as a service through the peer's external builder, which Fabric 1.4 does not have:
            // a 1.4 peer would build and start chaincode through a Docker socket, which we never give it.
            c.err(
                [...path, "lifecycle"],
                `chaincode on Fabric 1.4 needs the peer to build it through a Docker socket, which this program never mounts; allowed: network.fabricVersion "2.5" with lifecycle "legacy" (a V1_4_2 channel) or "v2"`,
            );
        }
        if (lifecycle === "legacy" && cc.sequence !== undefined) {
            c.err(
                [...path, "sequence"],
                `found ${cc.sequence}, but the "legacy" lifecycle has no sequence: a new version alone upgrades it; allowed: no sequence (or lifecycle "v2")`,
            );
        }
        const set = lifecyclesByChannel.get(cc.channel) ?? new Set<string>();
        set.add(lifecycle);
        lifecyclesByChannel.set(cc.channel, set);
        checkPolicy(c, [...path, "endorsementPolicy"], cc.endorsementPolicy, channel, orgByName);
        return {
            name: cc.name,
            version: cc.version ?? DEFAULTS.chaincode.version,
            sequence: cc.sequence ?? DEFAULTS.chaincode.sequence,
            language: "node",
            lifecycle,
            channel: cc.channel,
            endorsementPolicy: cc.endorsementPolicy,
            init: cc.init ?? null,
            port: cc.port ?? DEFAULTS.chaincode.port,
            verify: cc.verify
                ? { function: cc.verify.function, args: cc.verify.args, expect: cc.verify.expect ?? null }
                : null,
        };
    });
    for (const [ch, set] of lifecyclesByChannel) {
        if (set.size > 1)
            c.err(
                ["chaincodes"],
                `channel ${show(ch)} mixes "v2" and "legacy" lifecycles; allowed: one lifecycle per channel (it sets the channel's Application capability)`,
            );
    }
    return chaincodes;
}

/** Checks an endorsement policy's syntax and that every MSP it names is a member of the channel. */
function checkPolicy(
    c: Collector,
    path: Path,
    policy: string,
    channel: ChannelSpec | undefined,
    orgs: Map<string, OrgSpec>,
): void {
    let depth = 0;
    for (const ch of policy) {
        if (ch === "(") depth++;
        if (ch === ")" && --depth < 0) break;
    }
    if (!/^\s*(OR|AND|OutOf)\s*\(.*\)\s*$/.test(policy) || depth !== 0) {
        c.err(path, `found ${show(policy)}; allowed: a signature policy such as OR('Org1MSP.member','Org5MSP.member')`);
        return;
    }
    const allowed = (channel?.organizations ?? []).map((o) => orgs.get(o)?.mspId).filter((m): m is string => !!m);
    for (const m of policy.matchAll(/'([^'.]+)\.([a-z]+)'/g)) {
        const [, msp, role] = m;
        if (!allowed.includes(msp!)) {
            c.err(
                path,
                `names unknown MSP ${show(msp)}; allowed: ${allowed.join(", ") || "(the channel has no known organisations)"}`,
            );
        }
        if (!["member", "peer", "admin", "client", "orderer"].includes(role!)) {
            c.err(path, `names unknown role ${show(role)} for ${msp}; allowed: member, peer, admin, client, orderer`);
        }
    }
}
