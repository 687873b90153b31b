/** Chaincodes: names, their channel, the lifecycle the Fabric version allows, and the endorsement policy. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { ChaincodeSpec, ChannelSpec, FabricVersion, OrgSpec } from "../spec";
import { didYouMean } from "../suggest";
import { Collector, Path } from "./collector";
import { checkHostname } from "./orgs";
import { POLICY_ROLES, parsePolicy } from "./policy";
import { CC_FUNCTION_RE, CC_VERSION_RE, CHAINCODE_RE } from "./values";

export function normalizeChaincodes(
    cfg: RawConfig,
    c: Collector,
    fabricVersion: FabricVersion,
    channels: readonly ChannelSpec[],
    organizations: readonly OrgSpec[],
): ChaincodeSpec[] {
    const orgByName = new Map(organizations.map((o) => [o.name, o]));
    const lifecyclesByChannel = new Map<string, Set<string>>();
    const names = new Map<string, number>();
    const chaincodes = (cfg.chaincodes ?? []).map((cc, i): ChaincodeSpec => {
        const path = ["chaincodes", i] as const;
        if (!CHAINCODE_RE.test(cc.name))
            c.err(
                [...path, "name"],
                `found ${show(cc.name)}; allowed: letters and digits, separated by single '-' or '_'`,
            );
        // Two entries for one chaincode would be two definitions of one name: one entry per chaincode.
        const prev = names.get(cc.name);
        if (prev !== undefined)
            c.err(
                [...path, "name"],
                `duplicate chaincode name ${show(cc.name)}, already used by chaincodes[${prev}]; allowed: one entry per chaincode (change its version to upgrade it)`,
            );
        else names.set(cc.name, i);
        const version = cc.version ?? DEFAULTS.chaincode.version;
        if (!CC_VERSION_RE.test(version))
            c.err(
                [...path, "version"],
                `found ${show(version)}; allowed: letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most 64 characters (Fabric's chaincode version rule)`,
            );
        if (cc.init) checkCall(c, [...path, "init"], cc.init);
        if (cc.verify) checkCall(c, [...path, "verify"], cc.verify);
        const channel = channels.find((ch) => ch.name === cc.channel);
        if (channel) {
            // Each member peer gets a chaincode server named <chaincode>.<peer fqdn>.
            const peers = organizations.filter((o) => channel.organizations.includes(o.name)).flatMap((o) => o.peers);
            const longest = peers.map((p) => `${cc.name}.${p.fqdn}`).sort((a, b) => b.length - a.length)[0];
            if (longest) checkHostname(c, [...path, "name"], longest, "chaincode server's");
        }
        if (!channel)
            c.err(
                [...path, "channel"],
                `unknown channel ${show(cc.channel)};${didYouMean(
                    cc.channel,
                    channels.map((ch) => ch.name),
                )} allowed: ${channels.map((ch) => ch.name).join(", ") || "(no channels configured)"}`,
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
        checkPolicy(c, [...path, "endorsementPolicy"], cc.endorsementPolicy, channel, orgByName, {
            lifecycle,
            sequencePath: `chaincodes[${i}].sequence`,
            sequence: cc.sequence ?? DEFAULTS.chaincode.sequence,
            versionPath: `chaincodes[${i}].version`,
        });
        return {
            name: cc.name,
            version,
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

/** Checks an endorsement policy's grammar and that every MSP it names is a member of the channel. */
function checkPolicy(
    c: Collector,
    path: Path,
    policy: string,
    channel: ChannelSpec | undefined,
    orgs: Map<string, OrgSpec>,
    upgrade: { lifecycle: string; sequencePath: string; sequence: number; versionPath: string },
): void {
    const parsed = parsePolicy(policy);
    if ("error" in parsed) {
        c.err(
            path,
            `found ${show(policy)} (${parsed.error}); allowed: a signature policy such as OR('Org1MSP.member','Org5MSP.member'), AND(...) or OutOf(n, ...) over '<MSP id>.<role>' principals`,
        );
        return;
    }
    // On an unknown channel there is no membership to check: the channel is reported, once.
    const allowed = (channel?.organizations ?? []).map((o) => orgs.get(o)?.mspId).filter((m): m is string => !!m);
    for (const { msp, role } of parsed.principals) {
        if (channel && !allowed.includes(msp)) {
            // The usual way here: an org was taken out of the channel (or out of organizations) while a chaincode
            // still needs its endorsement. Say what else that change needs.
            const how =
                upgrade.lifecycle === "v2"
                    ? `raise ${upgrade.sequencePath} (to ${upgrade.sequence + 1})`
                    : `give ${upgrade.versionPath} a new version`;
            c.err(
                path,
                `names unknown MSP ${show(msp)};${didYouMean(msp, allowed)} allowed: ${allowed.join(", ") || "(the channel has no known organisations)"}. To take an organisation out of channel ${show(channel.name)}, change this policy so it no longer names it and ${how} in the same change`,
            );
        }
        if (!(POLICY_ROLES as readonly string[]).includes(role)) {
            c.err(path, `names unknown role ${show(role)} for ${msp}; allowed: ${POLICY_ROLES.join(", ")}`);
        }
    }
}

/** A transaction to call: a function name the contract API can dispatch, and plain string arguments. */
function checkCall(c: Collector, path: Path, call: { function: string; args: readonly string[] }): void {
    if (!CC_FUNCTION_RE.test(call.function)) {
        c.err(
            [...path, "function"],
            `found ${show(call.function)}; allowed: a function name of letters, digits, '_', '.', ':' and '-', starting with a letter or '_', at most 128 characters`,
        );
    }
    call.args.forEach((a, j) => {
        if (a.includes("\0")) c.err([...path, "args", j], "contains a NUL character; allowed: any text without NUL");
    });
}
