/**
 * Shell quoting for the whole program: every script builder in plan/ and every command line a component builds
 * quotes what it interpolates through `shq`, so a config value is always one word of data, never code. This is
 * the bottom floor of plan/: it imports nothing from the other plan modules.
 */
import { HostSpec, NetworkSpec } from "../config/spec";

/** Quotes a string (or number) as one word for a POSIX shell: `'…'`, with every `'` written as `'\''`. */
export function shq(s: string | number): string {
    return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** Quotes each word and joins them with spaces: a command line from argv. */
export function shArgv(argv: readonly (string | number)[]): string {
    return argv.map(shq).join(" ");
}

/** The ssh options every non-interactive connection uses, with the configured host-key policy. */
export function sshCheckOptions(ssh: NetworkSpec["ssh"]): string[] {
    return [
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        `StrictHostKeyChecking=${ssh.strictHostKeyChecking}`,
        ...(ssh.knownHostsFile ? ["-o", `UserKnownHostsFile=${ssh.knownHostsFile}`] : []),
    ];
}

/**
 * The command line, run on the operator's machine, that runs `script` on a remote host over ssh. Every word is
 * quoted; `--` ends ssh's options, so nothing from the config can be read as one. The remote sshd hands the
 * script to the user's shell as one string, which is why it is quoted once more as a single word.
 */
export function sshCommand(
    host: HostSpec,
    ssh: NetworkSpec["ssh"],
    keyFile: string,
    script: string,
    extraOptions: readonly string[] = [],
): string {
    return [
        "ssh",
        shArgv(["-i", keyFile, "-p", host.sshPort, "-l", host.user, ...sshCheckOptions(ssh), ...extraOptions]),
        "--",
        shq(host.address),
        shq(script),
    ].join(" ");
}
