/** Running child processes: captured output, optional stdin, line callbacks, timeouts and cancellation. */
import { ChildProcess, spawn } from "node:child_process";

export interface RunOptions {
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd?: string;
    /** Written to the child's stdin, which is then closed. Without it stdin is /dev/null. */
    readonly stdin?: string;
    /** Called with each complete line of output, without its newline. */
    readonly onStdout?: (line: string) => void;
    readonly onStderr?: (line: string) => void;
    /** Milliseconds; the child gets SIGTERM, then SIGKILL 5s later. */
    readonly timeoutMs?: number;
}

export interface RunResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** stdout and stderr interleaved in the order they arrived. */
    readonly combined: string;
    readonly timedOut: boolean;
}

const running = new Set<ChildProcess>();

/** Terminates every child still running (engine Cancel, or the plugin being stopped). */
export function cancelAll(): void {
    for (const c of running) c.kill("SIGTERM");
}

function lineSplitter(cb?: (line: string) => void): { push(s: string): void; end(): void } {
    let rest = "";
    return {
        push(s) {
            if (!cb) return;
            rest += s;
            let i: number;
            while ((i = rest.indexOf("\n")) >= 0) {
                cb(rest.slice(0, i).replace(/\r$/, ""));
                rest = rest.slice(i + 1);
            }
        },
        end() {
            if (cb && rest !== "") cb(rest);
            rest = "";
        },
    };
}

export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        let child: ChildProcess;
        try {
            child = spawn(file, [...args], {
                env: opts.env ?? process.env,
                cwd: opts.cwd,
                stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
            });
        } catch (e) {
            reject(explainSpawnError(e, file));
            return;
        }
        running.add(child);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const both: Buffer[] = [];
        const outLines = lineSplitter(opts.onStdout);
        const errLines = lineSplitter(opts.onStderr);
        child.stdout!.on("data", (b: Buffer) => {
            out.push(b);
            both.push(b);
            outLines.push(b.toString("utf8"));
        });
        child.stderr!.on("data", (b: Buffer) => {
            err.push(b);
            both.push(b);
            errLines.push(b.toString("utf8"));
        });
        if (opts.stdin !== undefined && child.stdin) {
            // A child that exits without reading its stdin is not an error.
            child.stdin.on("error", () => undefined);
            child.stdin.end(opts.stdin);
        }
        let timedOut = false;
        let timer: NodeJS.Timeout | undefined;
        if (opts.timeoutMs && opts.timeoutMs > 0) {
            timer = setTimeout(() => {
                timedOut = true;
                child.kill("SIGTERM");
                setTimeout(() => child.kill("SIGKILL"), 5000).unref();
            }, opts.timeoutMs);
        }
        child.on("error", (e) => {
            running.delete(child);
            if (timer) clearTimeout(timer);
            reject(explainSpawnError(e, file));
        });
        child.on("close", (code, signal) => {
            running.delete(child);
            if (timer) clearTimeout(timer);
            outLines.end();
            errLines.end();
            resolve({
                code,
                signal,
                stdout: Buffer.concat(out).toString("utf8"),
                stderr: Buffer.concat(err).toString("utf8"),
                combined: Buffer.concat(both).toString("utf8"),
                timedOut,
            });
        });
    });
}

function explainSpawnError(e: unknown, file: string): Error {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "E2BIG") {
        return new Error(
            `cannot start ${file}: argument list or environment too long (E2BIG; Linux allows at most 128 KiB ` +
                `per argument or environment variable)`,
        );
    }
    if (err?.code === "ENOENT") return new Error(`cannot start ${file}: not found`);
    return new Error(`cannot start ${file}: ${err?.message ?? String(e)}`);
}

/** The last `n` lines of a text (for error messages). */
export function tail(s: string, n: number, maxChars = 8000): string {
    const lines = s.replace(/\n+$/, "").split("\n");
    let t = lines.slice(-n).join("\n");
    if (t.length > maxChars) t = `...${t.slice(-maxChars)}`;
    return t;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}
