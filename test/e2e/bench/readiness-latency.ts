/**
 * Benchmark: how long after a node is actually ready `up` notices it, on the local topology (3 ZooKeeper,
 * 4 Kafka, 3 orderers, 3 peers on one host) on one simulated host, cold. Prints a table; asserts nothing.
 *
 *   flock /tmp/fk-e2e.lock npx vite-node test/e2e/bench/readiness-latency.ts
 *
 * Per node, on the host engine's clock (the same machine's): `started` is the container's StartedAt; `ready` is
 * the first line of its current run's log that says it is serving (ZooKeeper: leader election done; Kafka:
 * "[KafkaServer id=N] started"; orderer: the last Kafka chain's start phase completed; peer: "Started peer");
 * `noticed` is when this process received the engine event that ends the node's wait: its readiness step's
 * outputs (plan/readiness) or, for a program that waits in the container itself (Docker health check + the
 * provider's wait), the container's outputs. Lag = noticed − ready.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import { rawStackConfig } from "../../support/stacks";
import { e2eConfig, e2eStack, ensureToolchain, hostsDown, hostsUp, onHost } from "../support/harness";

interface Node {
    readonly resource: string;
    readonly container: string;
    readonly ready: RegExp;
    /** The first (false) or the last (true) matching line marks readiness. */
    readonly last?: boolean;
}

const NODES: Node[] = [
    ...[1, 2, 3].map((i) => ({
        resource: `zookeeper${i}`,
        container: `zookeeper${i}`,
        ready: /Peer state changed: (leading|following) - broadcast/,
    })),
    ...[1, 2, 3, 4].map((i) => ({
        resource: `kafka${i}`,
        container: `kafka${i}`,
        ready: /\[KafkaServer id=\d+\] started/,
    })),
    ...[0, 1, 2].map((i) => ({
        resource: `orderer${i}`,
        container: `orderer${i}.example.com`,
        ready: /Start phase completed successfully/,
        last: true,
    })),
    ...[
        ["peer0-org1", "peer0.org1.example.com"],
        ["foo27-org5", "foo27.org5.example.com"],
        ["bar-org5", "bar.org5.example.com"],
    ].map(([resource, container]) => ({ resource: resource!, container: container!, ready: /Started peer with ID/ })),
];

async function main(): Promise<void> {
    await ensureToolchain();
    const sim = await hostsUp(1);
    const host = sim.hosts[0]!;
    try {
        const stack = await e2eStack("e2e-readiness-bench", e2eConfig(sim, rawStackConfig("local")));
        const received = new Map<string, number>();
        const t0 = Date.now();
        const up = await stack.up({
            onEvent: (e: EngineEvent) => {
                const urn = e.resOutputsEvent?.metadata.urn;
                if (urn) received.set(urn.split("::").pop()!, Date.now());
            },
        });
        const upSeconds = (Date.now() - t0) / 1000;
        console.log(`cold up: ${up.summary.result} in ${upSeconds.toFixed(1)} s`);
        const rows: string[][] = [];
        const lags: number[] = [];
        for (const n of NODES) {
            const started = Date.parse(
                (await onHost(host, ["docker", "inspect", "-f", "{{.State.StartedAt}}", n.container])).trim(),
            );
            const log = await onHost(host, ["sh", "-c", `docker logs --timestamps ${n.container} 2>&1`]);
            const hits = log
                .split("\n")
                .filter((l) => n.ready.test(l))
                .map((l) => Date.parse(l.split(" ")[0]!))
                .filter((t) => t >= started);
            const ready = n.last ? hits.pop() : hits[0];
            const step = received.get(`${n.resource}-ready`);
            const noticed = step ?? received.get(`${n.resource}-container`);
            const by = step !== undefined ? "readiness step" : "container (health wait)";
            const s = (t: number | undefined) => (t === undefined ? "?" : ((t - started) / 1000).toFixed(2));
            if (ready !== undefined && noticed !== undefined) lags.push((noticed - ready) / 1000);
            rows.push([
                n.container,
                s(ready),
                s(noticed),
                ready !== undefined && noticed !== undefined ? ((noticed - ready) / 1000).toFixed(2) : "?",
                by,
            ]);
        }
        const head = ["node", "ready (s after start)", "noticed (s after start)", "lag (s)", "noticed by"];
        const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(width[i]!)).join("  "));
        lags.sort((a, b) => a - b);
        const mean = lags.reduce((a, b) => a + b, 0) / lags.length;
        console.log(
            `lag over ${lags.length} nodes: mean ${mean.toFixed(2)} s, median ${lags[Math.floor(lags.length / 2)]!.toFixed(2)} s, max ${lags[lags.length - 1]!.toFixed(2)} s`,
        );
        await stack.destroy();
    } finally {
        await hostsDown();
    }
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
