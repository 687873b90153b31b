/**
 * The Kafka → Raft migration on a running Kafka network, as phases a shared-network e2e run can chain (after
 * the network is up and checked, before destroy). Each takes the running stack and its simulated hosts:
 *
 *   recordTraffic → previewMigration → interruptedMigration → abortMigration → resumedMigration
 *   → checkMigrated → noopAfterMigration
 *
 * `interruptedMigration` starts the migration and interrupts the `up` itself (SIGINT, as Ctrl-C does) once the
 * first channel has switched; `abortMigration` then restores the backup and returns to a working Kafka network;
 * `resumedMigration` migrates again, interrupts that `up` during phase 2, and re-runs it to completion.
 */
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import { expect } from "vitest";
import { ChaincodeSpec, DEFAULTS, NetworkSpec, validateConfig } from "../../../config";
import { ccInvokeCommand, ccQueryCommand, ordererContainer } from "../../../plan";
import { SECRET } from "../../support/stacks";
import { E2eConfig, SimHost, SimHosts, Timings, checkOnHost, dockerLogs, onHost } from "../support/harness";

export interface MigrationContext {
    readonly stack: Stack;
    readonly sim: SimHosts;
    /** The stack's config as the harness set it (Kafka ordering). */
    readonly config: E2eConfig;
    /** Topology host name (e.g. `orderer0`) → its simulated host. */
    readonly host: (name: string) => SimHost;
    readonly timings: Timings;
    /** What recordTraffic saw, for the checks after the migration. */
    recorded?: { balances: Record<string, string>; heights: Record<string, number> };
}

const ns = DEFAULTS.namespace;
/** The topology's peers and orderers: [topology host, container]. */
const PEERS = [
    ["peer0-org1", "peer0.org1.example.com"],
    ["foo27-org5", "foo27.org5.example.com"],
    ["bar-org5", "bar.org5.example.com"],
] as const;
const ORDERERS = [0, 1, 2].map((i) => [`orderer${i}`, `orderer${i}.example.com`] as const);
const CHANNELS = ["system-channel", "mychannel"];

function specOf(ctx: MigrationContext): NetworkSpec {
    return validateConfig({ ...ctx.config.plain, credentials: ctx.config.credentials }, SECRET);
}
const mycc = (ctx: MigrationContext): ChaincodeSpec => specOf(ctx).chaincodes.find((c) => c.name === "mycc")!;
const docker = (ctx: MigrationContext, h: string, ...args: string[]) =>
    onHost(ctx.host(h), ["docker", ...args], 300_000);
const inCli = (ctx: MigrationContext, h: string, peer: string, script: string) =>
    docker(ctx, h, "exec", `cli.${peer}`, "sh", "-c", script);

async function balances(ctx: MigrationContext): Promise<Record<string, string>> {
    const cc = mycc(ctx);
    const out: Record<string, string> = {};
    for (const [h, p] of [PEERS[0], PEERS[2]]) {
        for (const k of ["A", "B"]) {
            // Retried: right after a restart the peer may take a moment to reach its chaincode server.
            const q = ccQueryCommand(cc, "query", [k]);
            out[`${k}@${p}`] = (
                await inCli(ctx, h, p, `for i in $(seq 1 30); do ${q} && exit 0; sleep 2; done; exit 1`)
            ).trim();
        }
    }
    return out;
}

async function heights(ctx: MigrationContext): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [h, p] of PEERS) {
        const info = await inCli(ctx, h, p, "peer channel getinfo -c mychannel");
        out[p] = Number(/"height":(\d+)/.exec(info)?.[1] ?? NaN);
    }
    return out;
}

/** An invoke from a peer of each org, each waiting for its block: the channel orders transactions. */
async function invokeFromBothOrgs(ctx: MigrationContext, amount: string): Promise<void> {
    const spec = specOf(ctx);
    const cmd = ccInvokeCommand(spec, mycc(ctx), "invoke", ["A", "B", amount]);
    for (const [h, p] of [PEERS[0], PEERS[2]]) {
        // The CLI containers log at WARNING; the invoke's result line is an INFO line.
        const out = await inCli(ctx, h, p, `FABRIC_LOGGING_SPEC=INFO ${cmd} 2>&1`);
        expect(out, `invoke from ${p}`).toMatch(/status:200/);
    }
}

async function setOrdering(ctx: MigrationContext, ordering: Record<string, unknown>): Promise<void> {
    await ctx.stack.setConfig(`${ns}:ordering`, { value: JSON.stringify(ordering) });
}

const kafkaOrdering = (ctx: MigrationContext) => ctx.config.plain.ordering as Record<string, unknown>;
const raftOrdering = (ctx: MigrationContext, migration?: Record<string, unknown>) => ({
    ...kafkaOrdering(ctx),
    type: "etcdraft",
    ...(migration ? { migration } : {}),
});

/** Commits traffic on Kafka from both orgs, then records balances and ledger heights. */
export async function recordTraffic(ctx: MigrationContext): Promise<void> {
    await invokeFromBothOrgs(ctx, "1");
    ctx.recorded = { balances: await balances(ctx), heights: await heights(ctx) };
    console.log(`before the migration: ${JSON.stringify(ctx.recorded)}`);
}

/** `pulumi preview` of `ordering.type: etcdraft` lists the migration's steps, per channel and per host. */
export async function previewMigration(ctx: MigrationContext): Promise<string[]> {
    await setOrdering(ctx, raftOrdering(ctx));
    const creates: string[] = [];
    await ctx.timings.time("migration preview", () =>
        ctx.stack.preview({
            onEvent: (e) => {
                const m = e.resourcePreEvent?.metadata;
                if (m?.op === "create" && m.type === "command:remote:Command") creates.push(m.urn.split("::").pop()!);
            },
        }),
    );
    const steps = creates.filter((n) => n.startsWith("migrate-"));
    console.log(`preview lists ${steps.length} migration steps:\n  ${steps.join("\n  ")}`);
    for (const ch of CHANNELS) {
        for (const phase of ["1-maintenance", "3-switch", "5-normal"])
            expect(steps).toContain(`migrate-${phase}-${ch}`);
    }
    for (const h of ["orderer0", "kafka1", "zookeeper3"]) expect(steps).toContain(`migrate-2-backup-${h}`);
    expect(steps).toContain("migrate-4-leader-orderer2");
    // Nothing happened: the channels still order on Kafka.
    expect((await docker(ctx, "kafka1", "inspect", "-f", "{{.State.Running}}", "kafka1")).trim()).toBe("true");
    return steps;
}

/** Runs `up`; with `interruptAfter`, sends SIGINT once that resource has been created and expects the `up` to stop. */
async function migrateUp(
    ctx: MigrationContext,
    label: string,
    interruptAfter?: RegExp,
): Promise<Map<string, [number, number]>> {
    const spans = new Map<string, [number, number]>();
    const abort = new AbortController();
    let interrupted = false;
    const onEvent = (e: EngineEvent) => {
        const pre = e.resourcePreEvent?.metadata;
        // What this up did, not what it removed (the steps of an earlier abort are deleted at its end).
        if (pre && pre.op !== "same" && pre.op !== "delete") spans.set(pre.urn.split("::").pop()!, [Date.now(), NaN]);
        const done = e.resOutputsEvent?.metadata;
        if (done) {
            const name = done.urn.split("::").pop()!;
            const s = spans.get(name);
            if (s) s[1] = Date.now();
            if (interruptAfter?.test(name) && !interrupted) {
                interrupted = true;
                console.log(`interrupting the up after ${name}`);
                abort.abort();
            }
        }
    };
    const run = ctx.timings.time(label, () =>
        ctx.stack.up({ onOutput: (s) => process.stdout.write(s), onEvent, signal: abort.signal }),
    );
    if (interruptAfter) {
        await expect(run).rejects.toThrow();
        expect(interrupted).toBe(true);
    } else {
        expect((await run).summary.result).toBe("succeeded");
    }
    return spans;
}

/** Phase durations from the creation times of the migration's resources (first start to last end per phase). */
function phaseTimes(spans: Map<string, [number, number]>): string {
    const phases = new Map<string, [number, number]>();
    for (const [name, [start, end]] of spans) {
        const m = /^(migrate|abort)-(\d)-/.exec(name);
        const key = m ? `${m[1]} phase ${m[2]}` : /^orderer\d-container$/.test(name) ? "orderers replaced" : null;
        if (!key || Number.isNaN(end)) continue;
        const p = phases.get(key) ?? [start, end];
        phases.set(key, [Math.min(p[0], start), Math.max(p[1], end)]);
    }
    return [...phases.entries()]
        .sort(([, a], [, b]) => a[0] - b[0])
        .map(([k, [s, e]]) => `${k} ${((e - s) / 1000).toFixed(0)}s`)
        .join(", ");
}

/** Starts the migration and interrupts the `up` once the system channel has switched to etcdraft. */
export async function interruptedMigration(ctx: MigrationContext): Promise<void> {
    await setOrdering(ctx, raftOrdering(ctx));
    const spans = await migrateUp(ctx, "migration, interrupted", /^migrate-3-switch-system-channel$/);
    console.log(`interrupted migration: ${phaseTimes(spans)}`);
}

/** `migration.abort`: restores the backup while in maintenance and returns to a working Kafka network. */
export async function abortMigration(ctx: MigrationContext): Promise<void> {
    await setOrdering(ctx, raftOrdering(ctx, { abort: true }));
    const spans = await migrateUp(ctx, "abort");
    console.log(`abort: ${phaseTimes(spans)}`);
    const spec = specOf(ctx);
    for (const [i, [h, name]] of ORDERERS.entries()) {
        // The program's own readiness check of the orderer (plan/readiness), asked again on its host.
        const check = ordererContainer(spec, spec.orderers[i]!).readiness!.check;
        // Strict: after the abort's up every orderer answers at once. A failure shows the check's own answer (the
        // probe's SIGPIPE on a reset connection was found this way: "port 7050 is not open").
        expect(await checkOnHost(ctx.host(h), check), name).toEqual({ ready: true, answer: "healthz 200" });
        const env = await docker(ctx, h, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", name);
        expect(env).toMatch(/^ORDERER_KAFKA_VERSION=/m);
    }
    // Back on Kafka in normal mode: what was committed before is there, and new transactions commit.
    expect(await balances(ctx)).toEqual(ctx.recorded!.balances);
    await invokeFromBothOrgs(ctx, "1");
    ctx.recorded = { balances: await balances(ctx), heights: await heights(ctx) };
    console.log(`after the abort: ${JSON.stringify(ctx.recorded)}`);
    // The operator's next step after an abort: ordering.type back to kafka.
    await setOrdering(ctx, kafkaOrdering(ctx));
}

/** Migrates again, interrupts the `up` during phase 2, and re-runs it: the migration completes where it stopped. */
export async function resumedMigration(ctx: MigrationContext): Promise<void> {
    await setOrdering(ctx, raftOrdering(ctx));
    const first = await migrateUp(ctx, "migration, interrupted in phase 2", /^migrate-2-start-kafka\d$/);
    console.log(`migration until interrupted: ${phaseTimes(first)}`);
    const second = await migrateUp(ctx, "migration, resumed");
    console.log(`migration resumed: ${phaseTimes(second)}`);
    // The steps done before the interruption did not run again.
    for (const name of first.keys()) if (/^migrate-1-/.test(name)) expect(second.has(name), name).toBe(false);
}

/**
 * After the migration: a Raft leader on every channel on every orderer, what was committed before intact,
 * new invokes commit from both orgs, no ZooKeeper or Kafka container anywhere, their volumes kept, and the
 * backups listed in the output present on their hosts.
 */
export async function checkMigrated(ctx: MigrationContext): Promise<void> {
    for (const [h, name] of ORDERERS) {
        const logs = await dockerLogs(ctx.host(h), name).catch((e: Error) => e.message);
        for (const ch of CHANNELS)
            expect(logs, `${name} leader on ${ch}`).toMatch(new RegExp(`Raft leader changed: 0 -> \\d+ channel=${ch}`));
    }
    expect(await balances(ctx)).toEqual(ctx.recorded!.balances);
    const h = await heights(ctx);
    for (const [p, before] of Object.entries(ctx.recorded!.heights)) expect(h[p]!, p).toBeGreaterThanOrEqual(before);
    await invokeFromBothOrgs(ctx, "1");
    const after = await balances(ctx);
    const a = Number(ctx.recorded!.balances["A@peer0.org1.example.com"]);
    expect(after["A@peer0.org1.example.com"]).toBe(String(a - 2));
    expect(after["A@bar.org5.example.com"]).toBe(String(a - 2));
    for (const host of ctx.sim.hosts) {
        const names = (await onHost(host, ["docker", "ps", "-a", "--format", "{{.Names}}"])).split("\n");
        expect(names.filter((n) => /^(zookeeper|kafka)\d+$/.test(n.trim()))).toEqual([]);
    }
    expect(await docker(ctx, "kafka1", "volume", "ls", "-q")).toMatch(/^kafka1-logs$/m);
    expect(await docker(ctx, "zookeeper1", "volume", "ls", "-q")).toMatch(/^zookeeper1-data$/m);
    const out = (await ctx.stack.outputs()).migration!.value as { backups: Array<{ host: string; file: string }> };
    console.log(`backups:\n  ${out.backups.map((b) => `${b.host}: ${b.file}`).join("\n  ")}`);
    expect(out.backups).toHaveLength(13);
    // The simulated hosts share this machine's file system (each its own workdir).
    for (const b of out.backups) expect(fs.statSync(b.file).size, b.file).toBeGreaterThan(0);
}

export async function noopAfterMigration(ctx: MigrationContext): Promise<void> {
    const up = await ctx.timings.time("no-op up after the migration", () => ctx.stack.up());
    console.log(`second up: ${JSON.stringify(up.summary.resourceChanges)}`);
    expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
}
