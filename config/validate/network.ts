/** Network-wide settings the Fabric nodes read: the logging spec and the consortium's name. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { Collector } from "./collector";
import { CONFIG_ID_ALLOWED, CONFIG_ID_RE, LOGGING_ALLOWED, loggingSpecProblem } from "./values";

export function normalizeNetworkSettings(cfg: RawConfig, c: Collector): { logging: string; consortium: string } {
    const logging = cfg.network?.logging ?? DEFAULTS.logging;
    const problem = loggingSpecProblem(logging);
    if (problem) c.err(["network", "logging"], `found ${show(logging)}: ${problem}; allowed: ${LOGGING_ALLOWED}`);
    // The consortium is a key of the system channel's configuration: Fabric's key rule applies.
    const consortium = cfg.network?.consortium ?? DEFAULTS.consortium;
    if (!CONFIG_ID_RE.test(consortium))
        c.err(["network", "consortium"], `found ${show(consortium)}; allowed: ${CONFIG_ID_ALLOWED}`);
    return { logging, consortium };
}
