/**
 * Stand-ins for running the readiness checks (plan/readiness) without a Docker engine: a `docker` executable
 * that answers `inspect`, `logs` and `exec` from files in a directory. `exec` runs the command on this machine
 * with only the tools the test puts in the container on its PATH (this machine's bash, cat, timeout, or a
 * small stand-in curl), so a check that relies on a tool the container does not have fails here as it would
 * there. Real TCP and HTTP servers in the test play the nodes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const DOCKER = `#!/bin/sh
# Stand-in docker CLI: the state is in $FAKE_DOCKER (see test/support/fakeDocker.ts).
d=$FAKE_DOCKER
printf '%s\\n' "$*" >> "$d/calls"
state() {
  n=$(cat "$d/inspects" 2> /dev/null || echo 0)
  line=$(sed -n "\${n}p" "$d/states")
  [ -n "$line" ] || line=$(tail -n 1 "$d/states")
  printf '%s\\n' "$line"
}
cmd=$1
shift
case $cmd in
  inspect)
    [ "$1" = -f ] && [ "$2" = '{{.State.Status}} {{.State.StartedAt}}' ] || { echo "unexpected inspect: $*" >&2; exit 2; }
    echo $(($(cat "$d/inspects" 2> /dev/null || echo 0) + 1)) > "$d/inspects"
    s=$(state)
    [ "$s" = missing ] && { echo "Error: No such object: $3" >&2; exit 1; }
    printf '%s\\n' "$s"
    ;;
  logs)
    [ "$1" = --since ] || { echo "unexpected logs: $*" >&2; exit 2; }
    started=$(state | cut -d' ' -f2)
    [ "$2" = "$started" ] || { echo "logs since $2, but this run started at $started" >&2; exit 2; }
    cat "$d/stdout.log" 2> /dev/null
    cat "$d/stderr.log" >&2 2> /dev/null
    ;;
  exec)
    while case $1 in -*) true ;; *) false ;; esac; do shift; done
    ctr=$1
    shift
    [ -f "$d/stopped" ] && { echo "Error response from daemon: container $ctr is not running" >&2; exit 1; }
    printf '%s\\n' "$ctr" >> "$d/exec-containers"
    # Without -i, docker exec gives the command no stdin.
    exec env -i PATH="$d/bin" $(cat "$d/env" 2> /dev/null) "$@" < /dev/null
    ;;
  *) echo "unexpected docker $cmd" >&2; exit 2 ;;
esac
`;

/** A stand-in curl (CouchDB's check), with the real one's exit codes and messages for `-fsS`. */
const CURL = `#!${process.execPath}
const http = require("node:http");
const args = process.argv.slice(2);
const positional = [];
for (let i = 0; i < args.length; i++) {
    if (["-o", "-u", "--max-time"].includes(args[i])) i++;
    else if (!args[i].startsWith("-")) positional.push(args[i]);
}
const user = args.includes("-u") ? args[args.indexOf("-u") + 1] : undefined;
const headers = user ? { authorization: "Basic " + Buffer.from(user).toString("base64") } : {};
http.get(positional[0], { headers }, (res) => {
    res.resume();
    if (res.statusCode < 400) process.exit(0);
    console.error("curl: (22) The requested URL returned error: " + res.statusCode);
    process.exit(22);
}).on("error", () => {
    console.error("curl: (7) Failed to connect: Connection refused");
    process.exit(7);
});
`;

/** The first executable called `name` on this machine's PATH, or undefined. */
export function which(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(":")) {
        const f = path.join(dir, name);
        try {
            fs.accessSync(f, fs.constants.X_OK);
            return f;
        } catch {
            // not here
        }
    }
    return undefined;
}

export interface FakeNode {
    /** Answers of successive `docker inspect` calls (the last one repeats): `running <start>`, `exited <t>`, or `missing`. */
    states: string[];
    /** This run's log: what `docker logs` prints on stdout and on stderr. */
    stdoutLog?: string;
    stderrLog?: string;
    /** `docker exec` fails as on a stopped container. */
    stopped?: boolean;
    /** The container's environment (`KEY=value`, no spaces), as `docker exec` would see it. */
    env?: Record<string, string>;
    /**
     * What the container has on its PATH: this machine's tools by name (`sh`, `bash`, `cat`, `timeout`), the
     * stand-in `curl`, or, with `busybox: true`, BusyBox's `sh` and `cat`.
     */
    tools: readonly string[];
    busybox?: boolean;
}

/** BusyBox applets the tests may put in a stand-in container instead of this machine's tools. */
const BUSYBOX_APPLETS = ["sh", "cat"];

export class FakeDocker {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-fake-docker-"));
    private readonly binDir = path.join(this.dir, "docker-bin");

    constructor() {
        fs.mkdirSync(this.binDir);
        fs.writeFileSync(path.join(this.binDir, "docker"), DOCKER, { mode: 0o755 });
        fs.writeFileSync(path.join(this.dir, "curl.js"), CURL, { mode: 0o755 });
    }

    /** Resets the node's state: what the next checks will see. */
    node(n: FakeNode): void {
        for (const f of ["calls", "inspects", "exec-containers", "stopped", "stdout.log", "stderr.log", "env"])
            fs.rmSync(path.join(this.dir, f), { force: true });
        fs.rmSync(path.join(this.dir, "bin"), { recursive: true, force: true });
        fs.writeFileSync(path.join(this.dir, "states"), n.states.join("\n") + "\n");
        if (n.stdoutLog !== undefined) fs.writeFileSync(path.join(this.dir, "stdout.log"), n.stdoutLog);
        if (n.stderrLog !== undefined) fs.writeFileSync(path.join(this.dir, "stderr.log"), n.stderrLog);
        if (n.stopped) fs.writeFileSync(path.join(this.dir, "stopped"), "");
        if (n.env)
            fs.writeFileSync(
                path.join(this.dir, "env"),
                Object.entries(n.env)
                    .map(([k, v]) => `${k}=${v}`)
                    .join("\n"),
            );
        const bin = path.join(this.dir, "bin");
        fs.mkdirSync(bin);
        for (const t of n.tools) {
            const target =
                n.busybox && BUSYBOX_APPLETS.includes(t)
                    ? which("busybox")!
                    : t === "curl"
                      ? path.join(this.dir, "curl.js")
                      : which(t);
            if (!target) throw new Error(`no ${t} on this machine for the stand-in container`);
            if (n.busybox && BUSYBOX_APPLETS.includes(t)) {
                fs.writeFileSync(path.join(bin, t), `#!/bin/sh\nexec ${target} ${t} "$@"\n`, { mode: 0o755 });
            } else fs.symlinkSync(target, path.join(bin, t));
        }
    }

    /** The docker command lines run so far, one per call. */
    calls(): string[] {
        return read(path.join(this.dir, "calls"));
    }

    /** The containers `docker exec` ran in. */
    execContainers(): string[] {
        return read(path.join(this.dir, "exec-containers"));
    }

    /** Runs a script with the stand-in docker first on PATH, under `shell` (argv). */
    run(
        script: string,
        shell: readonly string[] = ["/bin/sh", "-c"],
    ): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
        const t0 = Date.now();
        return new Promise((resolve, reject) => {
            // No stdin, as for a command over ssh without input: bash reads ~/.bashrc when its stdin is a socket.
            const child = spawn(shell[0]!, [...shell.slice(1), script], {
                env: { PATH: `${this.binDir}:${process.env.PATH ?? ""}`, FAKE_DOCKER: this.dir },
                stdio: ["ignore", "pipe", "pipe"],
                timeout: 60_000,
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            child.on("error", reject);
            child.on("close", (code) =>
                resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - t0) / 1000 }),
            );
        });
    }

    cleanup(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

function read(f: string): string[] {
    try {
        return fs.readFileSync(f, "utf8").split("\n").filter(Boolean);
    } catch {
        return [];
    }
}
