/**
 * Phases of an e2e run on a Raft-ordered network (ordering.type etcdraft), each an exported function over the
 * running stack and its simulated hosts, so a shared-network run can chain them: the whole existing flow
 * (channel, join, anchors, chaincode, verification, cross-org test, no-op second up) plus the Raft checks
 * (a leader on every channel, on every orderer; no ZooKeeper or Kafka anywhere).
 */
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "vitest";
import { NetworkSpec } from "../../../config";
import { ordererContainer } from "../../../plan";
import { SimHost, SimHosts, Timings, checkOnHost, dockerLogs, onHost, sh } from "../support/harness";

export interface RaftContext {
    readonly stack: Stack;
    /** The validated spec of the stack's configuration. */
    readonly spec: NetworkSpec;
    readonly sim: SimHosts;
    /** Topology host name (e.g. `orderer0`) → its simulated host. */
    readonly host: (name: string) => SimHost;
    /** Orderers as [topology host, container], peers as [topology host, container]. */
    readonly orderers: ReadonlyArray<readonly [string, string]>;
    readonly peers: ReadonlyArray<readonly [string, string]>;
    readonly channels: readonly string[];
    readonly systemChannel: string;
    readonly timings: Timings;
}

const docker = (ctx: RaftContext, h: string, ...args: string[]) => onHost(ctx.host(h), ["docker", ...args]);

export async function coldUp(ctx: RaftContext): Promise<void> {
    const up = await ctx.timings.time("cold up (etcdraft)", () =>
        ctx.stack.up({ onOutput: (s) => process.stdout.write(s) }),
    );
    expect(up.summary.result).toBe("succeeded");
}

/**
 * Every orderer is ready and has seen a Raft leader on every channel, the system channel included (the log
 * line Fabric's migration guide tells operators to look for); returns the leader ids seen per channel.
 */
export async function raftLeaders(ctx: RaftContext): Promise<Record<string, string[]>> {
    const seen: Record<string, string[]> = {};
    for (const [h, name] of ctx.orderers) {
        // The orderer's own readiness check from the plan (the official image has no Docker health check).
        const o = ctx.spec.orderers.find((x) => x.fqdn === name)!;
        expect(await checkOnHost(ctx.host(h), ordererContainer(ctx.spec, o).readiness!.check), name).toEqual({
            ready: true,
            answer: "healthz 200",
        });
        const logs = await dockerLogs(ctx.host(h), name).catch((e: Error) => e.message);
        for (const ch of [ctx.systemChannel, ...ctx.channels]) {
            const m = [
                ...logs.matchAll(
                    new RegExp(`Raft leader changed: \\d+ -> (\\d+) channel=${ch.replace(/\./g, "\\.")}`, "g"),
                ),
            ];
            expect(m.length, `${name}: no Raft leader logged on ${ch}`).toBeGreaterThan(0);
            (seen[ch] ??= []).push(`${name}=${m[m.length - 1]![1]}`);
        }
    }
    console.log(`Raft leaders: ${JSON.stringify(seen)}`);
    return seen;
}

/** No ZooKeeper or Kafka container on any host of the stack. */
export async function noKafkaBackend(ctx: RaftContext): Promise<void> {
    for (const h of ctx.sim.hosts) {
        const names = (await onHost(h, ["docker", "ps", "-a", "--format", "{{.Names}}"])).split("\n");
        expect(names.filter((n) => /^(zookeeper|kafka)\d+$/.test(n.trim()))).toEqual([]);
    }
}

export async function peersJoined(ctx: RaftContext): Promise<void> {
    for (const [h, p] of ctx.peers) {
        const list = await docker(ctx, h, "exec", `cli.${p}`, "peer", "channel", "list");
        for (const ch of ctx.channels) expect(list).toMatch(new RegExp(`^${ch}$`, "m"));
    }
}

/** The verification output of `up`, then the old runbook's cross-org query/invoke/query test. */
export async function crossOrg(ctx: RaftContext): Promise<void> {
    const outputs = await ctx.stack.outputs();
    const verification = outputs.verification!.value as Record<string, Record<string, string>>;
    expect(verification.mycc).toEqual({ Org1MSP: "10", Org5MSP: "10" });
    const script = (outputs.crossOrgTests!.value as Record<string, string>).mycc!;
    const out = await ctx.timings.time("cross-org test", () => sh("bash", ["-c", script]));
    console.log(out);
    const values = out.split("\n").filter((l) => /^-?\d+$/.test(l.trim()));
    expect(values).toEqual(["10", "10", "-10", "40"]);
}

export async function noopUp(ctx: RaftContext): Promise<void> {
    const up = await ctx.timings.time("no-op up", () => ctx.stack.up());
    console.log(`second up: ${JSON.stringify(up.summary.resourceChanges)}`);
    expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
}

export async function destroy(ctx: RaftContext): Promise<void> {
    await ctx.timings.time("destroy", () => ctx.stack.destroy());
    for (const h of ctx.sim.hosts) expect((await onHost(h, ["docker", "ps", "-aq"])).trim()).toBe("");
}
