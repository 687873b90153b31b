/**
 * Preview cost under Pulumi mocks as the network grows: the program (config validation, plan, every component
 * and resource registration) for 13, 50 and 100 hosts, each size in a fresh process, time and memory printed as
 * a table with the cost per host and per resource, so linear growth (a flat per-host column) shows at a glance.
 * A benchmark script: it prints figures and asserts nothing about them.
 *
 *   npm run bench:preview [-- --sizes 13,50,100 --repeat 3]
 *
 * 13 is the dev topology itself; a larger size keeps its 10 ordering hosts (3 ZooKeeper, 4 Kafka, 3 orderers)
 * and adds peer hosts, one peer each, in orgs of up to 8 peers, all on one channel with the dev chaincode.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clone, rawStackConfig, withTestCredentials } from "../support/stacks";

type Raw = Record<string, any>;

/** The dev topology grown to `hosts` hosts by adding peer hosts. */
export function scaledConfig(hosts: number): Raw {
    const dev = clone(rawStackConfig("dev")) as Raw;
    if (hosts === dev.hosts.length) return dev;
    const ordering = (dev.hosts as Array<{ name: string }>).filter((h) => !/org\d/.test(h.name));
    const peerHosts = hosts - ordering.length;
    if (peerHosts < 2) throw new Error(`at least ${ordering.length + 2} hosts`);
    const orgCount = Math.max(2, Math.ceil(peerHosts / 8));
    const orgs = Array.from({ length: orgCount }, (_, i) => ({
        name: `Org${i + 1}`,
        mspId: `Org${i + 1}MSP`,
        domain: `org${i + 1}.example.com`,
        peers: [] as Array<{ name: string; host: string }>,
    }));
    const extra = Array.from({ length: peerHosts }, (_, i) => {
        const org = orgs[i % orgCount]!;
        const name = `peer${org.peers.length}-org${(i % orgCount) + 1}`;
        org.peers.push({ name: `peer${org.peers.length}`, host: name });
        return { name, address: `203.0.113.${20 + i}`, user: "fabric" };
    });
    dev.hosts = [...ordering, ...extra];
    dev.organizations = orgs;
    dev.channels = [{ name: "mychannel", organizations: orgs.map((o) => o.name) }];
    dev.chaincodes[0].endorsementPolicy = `OR(${orgs.map((o) => `'${o.mspId}.member'`).join(",")})`;
    return dev;
}

interface Sample {
    hosts: number;
    resources: number;
    ms: number;
    heapMB: number;
    rssMB: number;
}

/** One preview in this process: registers the whole network under mocks and measures it. */
async function worker(hosts: number): Promise<void> {
    // vite-node maps every stack trace through source maps, and the Pulumi SDK takes a stack trace for each of
    // its promises: that would measure vite-node. The deploy scripts run plain node, without such a hook.
    Reflect.deleteProperty(Error, "prepareStackTrace");
    process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-bench-home-"));
    const { installMocks, recorded, setStackConfig, valueOf } = await import("../support/mocks");
    installMocks(true);
    setStackConfig(withTestCredentials(scaledConfig(hosts)), ["credentials"]);
    const { loadConfig } = await import("../../config/load");
    const { FabricNetwork } = await import("../../components/network");
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    const t0 = performance.now();
    const net = new FabricNetwork("fabric", { config: loadConfig() });
    await valueOf(net.urn);
    // Registrations continue after the constructor (outputs resolve, children register): wait until quiet.
    let count = -1;
    let last = performance.now();
    while (performance.now() - last < 500) {
        if (recorded.length !== count) [count, last] = [recorded.length, performance.now()];
        await new Promise((r) => setTimeout(r, 20));
    }
    const ms = last - t0;
    const peak = process.memoryUsage();
    gc?.();
    const sample: Sample = {
        hosts,
        resources: recorded.length,
        ms,
        heapMB: (peak.heapUsed - before.heapUsed) / 2 ** 20,
        rssMB: peak.rss / 2 ** 20,
    };
    process.stdout.write(`SAMPLE ${JSON.stringify(sample)}\n`);
    process.exit(0);
}

function runWorker(hosts: number): Promise<Sample> {
    return new Promise((resolve, reject) => {
        const child = spawn("npx", ["vite-node", __filename, "--", "--worker", String(hosts)], {
            env: { ...process.env, NODE_OPTIONS: "--expose-gc --max-old-space-size=4096" },
            stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.on("close", (code) => {
            const line = out.split("\n").find((l) => l.startsWith("SAMPLE "));
            if (code !== 0 || !line)
                reject(new Error(`worker for ${hosts} hosts failed (${code}):\n${out.slice(-2000)}`));
            else resolve(JSON.parse(line.slice(7)) as Sample);
        });
    });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
    const args = process.argv.slice(2).filter((a) => a !== "--");
    const w = args.indexOf("--worker");
    if (w >= 0) return worker(Number(args[w + 1]));
    const opt = (name: string, dflt: string) =>
        args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : dflt;
    const sizes = opt("sizes", "13,50,100").split(",").map(Number);
    const repeat = Number(opt("repeat", "3"));
    const rows: Sample[] = [];
    for (const n of sizes) {
        const runs: Sample[] = [];
        for (let i = 0; i < repeat; i++) runs.push(await runWorker(n));
        const row = {
            hosts: n,
            resources: runs[0]!.resources,
            ms: median(runs.map((r) => r.ms)),
            heapMB: median(runs.map((r) => r.heapMB)),
            rssMB: median(runs.map((r) => r.rssMB)),
        };
        rows.push(row);
        console.log(`${n} hosts: ${runs.map((r) => r.ms.toFixed(0)).join(", ")} ms`);
    }
    const base = rows[0]!;
    const head = [
        "hosts",
        "resources",
        "time ms",
        "ms/host",
        "ms/resource",
        "heap MB",
        "KB/resource",
        "rss MB",
        "time ×",
        "hosts ×",
    ];
    const table = rows.map((r) => [
        String(r.hosts),
        String(r.resources),
        r.ms.toFixed(0),
        (r.ms / r.hosts).toFixed(1),
        (r.ms / r.resources).toFixed(2),
        r.heapMB.toFixed(1),
        ((r.heapMB * 1024) / r.resources).toFixed(0),
        r.rssMB.toFixed(0),
        (r.ms / base.ms).toFixed(2),
        (r.hosts / base.hosts).toFixed(2),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
    console.log(
        `\npreview under mocks, median of ${repeat} runs per size (${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log([line(head), ...table.map(line)].join("\n"));
}

// Run as a script (vite-node), not when a test imports scaledConfig (vitest sets VITEST).
if (!process.env.VITEST) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
