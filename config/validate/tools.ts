/** How the program reaches hosts and runs Fabric's tools: SSH host-key checking and the tools mode. */
import { DEFAULTS } from "../defaults";
import { RawConfig } from "../schema";
import { NetworkSpec } from "../spec";
import { Collector } from "./collector";

export function normalizeTools(cfg: RawConfig, _c: Collector): Pick<NetworkSpec, "tools" | "ssh"> {
    return {
        tools: { mode: cfg.tools?.mode ?? DEFAULTS.tools.mode },
        ssh: {
            knownHostsFile: cfg.ssh?.knownHostsFile ?? null,
            strictHostKeyChecking: cfg.ssh?.strictHostKeyChecking ?? DEFAULTS.ssh.strictHostKeyChecking,
        },
    };
}
