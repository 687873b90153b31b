/**
 * npm run bench -- <stack> [--org ORG] [--user USER] [--levels 10,50,200] [--count N] [--peer NAME]
 *
 * Drives the deployed network through the stock Fabric Gateway client with the identity folder of one client
 * user (written by the identity command into a temporary folder, removed afterwards): at each concurrency
 * level, N submits of mycc `put(key, value)` on distinct keys (so no two transactions touch the same key and
 * none is invalidated by another), each awaited until committed. Prints progress, then per level the
 * throughput, p50/p95/p99 latency and the failures, with the orderers' batch settings that bound them, and
 * finally reads one written key back per level.
 *
 * Default N per level: max(200, 5 × concurrency).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connectGateway } from "./lib/gateway";
import { LevelResult, resultTable, summarize } from "./lib/stats";
import { stackOutputs } from "./lib/workspace";
import { writeIdentity } from "./identity";

interface Options {
    stack: string;
    org: string;
    user: string;
    levels: number[];
    count?: number;
    peer?: string;
    chaincode: string;
}

function parseArgs(argv: string[]): Options {
    const flag = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        if (i < 0) return undefined;
        const v = argv[i + 1];
        if (!v || v.startsWith("--")) throw new Error(`--${name} needs a value`);
        argv.splice(i, 2);
        return v;
    };
    const org = flag("org") ?? "Org1MSP";
    const user = flag("user") ?? "User1";
    const levelsText = flag("levels") ?? "10,50,200";
    const count = flag("count");
    const peer = flag("peer");
    const chaincode = flag("chaincode") ?? "mycc";
    const [stack, ...extra] = argv;
    if (!stack || extra.length) {
        throw new Error(
            "usage: npm run bench -- <stack> [--org ORG] [--user USER] [--levels 10,50,200] [--count N] [--peer NAME]",
        );
    }
    const levels = levelsText.split(",").map((s) => Number(s.trim()));
    if (levels.some((l) => !Number.isInteger(l) || l < 1 || l > 2000)) {
        throw new Error(`--levels must be whole numbers from 1 to 2000, got ${JSON.stringify(levelsText)}`);
    }
    if (count !== undefined && !(Number.isInteger(Number(count)) && Number(count) >= 1)) {
        throw new Error(`--count must be a whole number of at least 1, got ${JSON.stringify(count)}`);
    }
    return {
        stack,
        org,
        user,
        levels,
        chaincode,
        ...(count ? { count: Number(count) } : {}),
        ...(peer ? { peer } : {}),
    };
}

/** First line of an error, without the per-peer details the gateway appends. */
function failureKind(e: unknown): string {
    const msg = e instanceof Error ? e.message : String(e);
    return msg.split("\n")[0]!.slice(0, 160);
}

async function runLevel(
    dir: string,
    opts: Options,
    concurrency: number,
    total: number,
    run: string,
): Promise<{ result: LevelResult; lastKey: string }> {
    const conn = connectGateway(dir, { ...(opts.peer ? { peer: opts.peer } : {}), submitTimeoutMs: 120_000 });
    const contract = conn.contract(undefined, opts.chaincode);
    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    let lastKey = "";
    const t0 = Date.now();
    const tty = process.stdout.isTTY;
    const progress = setInterval(
        () => {
            const done = latencies.length + failures.length;
            const secs = (Date.now() - t0) / 1000;
            const line = `  c=${concurrency}: ${done}/${total} done, ${failures.length} failed, ${(latencies.length / secs).toFixed(1)} tps`;
            process.stdout.write(tty ? `\r${line}   ` : `${line}\n`);
        },
        tty ? 500 : 5000,
    );
    const worker = async () => {
        for (;;) {
            const i = next++;
            if (i >= total) return;
            const key = `bench-${run}-c${concurrency}-${i}`;
            const start = Date.now();
            try {
                await contract.submitTransaction("put", key, `${i}`);
                latencies.push(Date.now() - start);
                lastKey = key;
            } catch (e) {
                failures.push(failureKind(e));
            }
        }
    };
    try {
        await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
        clearInterval(progress);
        if (tty) process.stdout.write("\n");
    }
    const result = summarize(concurrency, latencies, failures, (Date.now() - t0) / 1000);
    // The last committed key must read back: the writes reached the ledger, not just the orderer.
    if (lastKey) {
        const got = Buffer.from(await contract.evaluateTransaction("get", lastKey)).toString();
        console.log(`  read back ${lastKey} = ${got} from ${conn.peer}`);
    }
    conn.close();
    return { result, lastKey };
}

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2));
    const outputs = await stackOutputs(opts.stack);
    const batch = outputs.batch as
        { timeout: string; maxMessageCount: number; absoluteMaxBytes: number; preferredMaxBytes: number } | undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-bench-"));
    try {
        await writeIdentity({ stack: opts.stack, org: opts.org, user: opts.user, out: dir });
        const run = Date.now().toString(36);
        console.log(
            `bench of stack ${opts.stack} as ${opts.user} of ${opts.org}: mycc put(key, value) on distinct keys (run ${run})`,
        );
        console.log(
            batch
                ? `batch settings: timeout ${batch.timeout}, maxMessageCount ${batch.maxMessageCount}, absoluteMaxBytes ${batch.absoluteMaxBytes}, preferredMaxBytes ${batch.preferredMaxBytes}`
                : "batch settings: not exported by this stack (deployed before the batch output existed)",
        );
        const results: LevelResult[] = [];
        for (const c of opts.levels) {
            const total = opts.count ?? Math.max(200, 5 * c);
            console.log(`level: concurrency ${c}, ${total} transactions`);
            const { result } = await runLevel(dir, opts, c, total, run);
            results.push(result);
            for (const [msg, n] of Object.entries(result.failures)) console.log(`  failed ${n}×: ${msg}`);
        }
        console.log("");
        console.log(resultTable(results));
        if (results.some((r) => r.failed > 0)) process.exitCode = 1;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
