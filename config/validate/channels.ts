/** Channels: the system channel's name, the application channels and their member organisations. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { ChannelSpec, OrgSpec } from "../spec";
import { didYouMean } from "../suggest";
import { Collector } from "./collector";
import { CHANNEL_RE } from "./values";

const CHANNEL_ALLOWED = "allowed: lower-case letters, digits, '.' and '-', starting with a letter";

export function normalizeSystemChannel(cfg: RawConfig, c: Collector): string {
    const systemChannel = cfg.network?.systemChannel ?? DEFAULTS.systemChannel;
    if (!CHANNEL_RE.test(systemChannel))
        c.err(["network", "systemChannel"], `found ${show(systemChannel)}; ${CHANNEL_ALLOWED}`);
    return systemChannel;
}

export function normalizeChannels(
    cfg: RawConfig,
    c: Collector,
    systemChannel: string,
    organizations: readonly OrgSpec[],
): ChannelSpec[] {
    const orgNames = organizations.map((o) => o.name);
    const channelNames = new Set<string>();
    return (cfg.channels ?? []).map((ch, i) => {
        const path = ["channels", i] as const;
        if (!CHANNEL_RE.test(ch.name)) c.err([...path, "name"], `found ${show(ch.name)}; ${CHANNEL_ALLOWED}`);
        if (ch.name === systemChannel)
            c.err(
                [...path, "name"],
                `${show(ch.name)} is the system channel's name (network.systemChannel); allowed: any other name`,
            );
        if (channelNames.has(ch.name)) c.err([...path, "name"], `duplicate channel ${show(ch.name)}`);
        channelNames.add(ch.name);
        if (ch.organizations.length === 0)
            c.err(
                [...path, "organizations"],
                `is empty; allowed: at least one organisation. A running channel cannot lose its last organisation (no member would be left to sign the update, nor to keep its ledger): keep one of its organisations listed`,
            );
        ch.organizations.forEach((o, j) => {
            if (ch.organizations.indexOf(o) !== j)
                c.err([...path, "organizations", j], `lists organisation ${show(o)} twice; allowed: each member once`);
            if (!orgNames.includes(o))
                c.err(
                    [...path, "organizations", j],
                    `unknown organisation ${show(o)};${didYouMean(o, orgNames)} allowed: ${orgNames.join(", ")}`,
                );
        });
        return { name: ch.name, organizations: ch.organizations };
    });
}
