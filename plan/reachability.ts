/**
 * Before `preview` or `up` touches any host, every SSH host is asked, over the same SSH login the steps use,
 * whether its Docker engine answers. A host that does not stops the run before anything changes anywhere, with
 * an error naming the host, how it was reached, what failed and which steps it carries; once it is back, the
 * next `up` resumes from where the last one stopped.
 */
import { HostSpec, NetworkSpec } from "../config/spec";
import { sshCommand } from "./shell";
import { Step } from "./types";

/** What runs on the host: the engine's version, which needs both the login and the engine to work. */
export const PROBE_SCRIPT = "docker version --format '{{.Server.Version}}'";

/** The probe's command line on the operator's machine; a dead address fails after 10 s, not minutes. */
export function probeCommand(host: HostSpec, ssh: NetworkSpec["ssh"], keyFile: string): string {
    return sshCommand(host, ssh, keyFile, PROBE_SCRIPT, ["-o", "ConnectTimeout=10"]);
}

export interface ProbeFailure {
    readonly host: string;
    /** What the probe reported (its last lines of output), never key material: the key is read by ssh only. */
    readonly detail: string;
}

/** The steps the plan runs on `host`, by id. */
export function stepsOnHost(steps: readonly Step[], host: string): string[] {
    return steps.filter((s) => s.host === host).map((s) => s.id);
}

export function unreachableHostsMessage(
    spec: NetworkSpec,
    steps: readonly Step[],
    down: readonly ProbeFailure[],
): string {
    const lines = down.map((d) => {
        const i = spec.hosts.findIndex((h) => h.name === d.host);
        const h = spec.hosts[i]!;
        const on = stepsOnHost(steps, h.name);
        return (
            `  host ${h.name} (hosts[${i}], ${h.user}@${h.address}:${h.sshPort}): ${d.detail}\n` +
            `    its steps: ${on.length ? on.join(", ") : "none"}`
        );
    });
    return [
        `cannot reach ${down.length} of the network's hosts over SSH, so nothing was changed on any host:`,
        ...lines,
        "bring the host back (or correct its entry in hosts[]) and run up again: it resumes where this run stopped",
    ].join("\n");
}
