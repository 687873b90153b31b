/** How the program reaches hosts and runs Fabric's tools: SSH host-key checking and the tools mode. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { NetworkSpec } from "../spec";
import { Collector } from "./collector";

// ssh reads UserKnownHostsFile as a list split on spaces and expands '%' tokens: a plain path only.
const KNOWN_HOSTS_RE = /^(~\/|\/)[A-Za-z0-9._/-]+$/;

export function normalizeTools(cfg: RawConfig, c: Collector): Pick<NetworkSpec, "tools" | "ssh"> {
    const knownHostsFile = cfg.ssh?.knownHostsFile ?? null;
    if (knownHostsFile !== null && !KNOWN_HOSTS_RE.test(knownHostsFile)) {
        c.err(
            ["ssh", "knownHostsFile"],
            `found ${show(knownHostsFile)}; allowed: one absolute path (or ~/...) of letters, digits, '.', '_', '-' and '/', e.g. ~/.ssh/fabric_known_hosts`,
        );
    }
    const strictHostKeyChecking = cfg.ssh?.strictHostKeyChecking ?? DEFAULTS.ssh.strictHostKeyChecking;
    if (knownHostsFile !== null && strictHostKeyChecking === "accept-new") {
        c.warn(
            "ssh.knownHostsFile is set with strictHostKeyChecking accept-new: unknown host keys are still trusted on first use and added to it; set strictHostKeyChecking yes to accept only the pinned keys",
        );
    }
    return {
        tools: { mode: cfg.tools?.mode ?? DEFAULTS.tools.mode },
        ssh: { knownHostsFile, strictHostKeyChecking },
    };
}
