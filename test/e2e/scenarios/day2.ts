/**
 * Day-2 changes on a running network, as phases over a RunningNetwork: grow the channel's ledger to a given
 * number of blocks with real traffic, add a peer to an org by editing the stack and running one `up`, refuse an
 * `up` while a host is unreachable, and move a broker to another host under traffic.
 */
import * as fs from "node:fs";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { DEFAULTS } from "../../../config";
import { allPeers } from "../../../plan";
import {
    Traffic,
    gatewaysFor,
    ledgersConverge,
    missingOnPeers,
    partitionState,
    peerLedger,
    startTraffic,
    stopTraffic,
} from "./faults";
import { RunningNetwork, SimHost, hostEngine, registeredBrokers, simHostEntry, waitFor } from "../support/harness";
import { zookeeperPlaintextPort } from "../../../plan/ordering/kafka";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Submits transactions (enough in flight that blocks are cut by count, not by the batch timeout) until the
 * channel of the first chaincode holds at least `blocks` blocks; bounded. Returns the height reached.
 */
export async function growChannel(net: RunningNetwork, blocks: number, boundMs = 10 * 60_000): Promise<number> {
    const cc = net.spec.chaincodes[0]!;
    const first = allPeers(net.spec)[0]!;
    let height = (await peerLedger(net, first, cc.channel)).height;
    if (height >= blocks) return height;
    const clients = await gatewaysFor(net);
    const traffic = new Traffic(
        clients.map((c) => ({ peer: c.peer, contract: c.contract(cc.channel, cc.name) })),
        `grow${Date.now().toString(36)}`,
        2 * net.spec.batch.maxMessageCount,
    );
    const t0 = Date.now();
    traffic.start();
    try {
        while (height < blocks) {
            if (Date.now() - t0 > boundMs) throw new Error(`${cc.channel} reached ${height} of ${blocks} blocks`);
            await sleep(5000);
            height = (await peerLedger(net, first, cc.channel)).height;
        }
    } finally {
        await traffic.stop();
        for (const c of clients) c.close();
    }
    const s = traffic.stats(t0, Date.now());
    console.log(
        `day2: ${cc.channel} grown to ${height} blocks in ${((Date.now() - t0) / 1000).toFixed(0)} s ` +
            `(sent ${s.sent}, committed ${s.committed}, failed ${s.failed})`,
    );
    return (await peerLedger(net, first, cc.channel)).height;
}

/**
 * Adds peer `name` to org `org` on host `host` (ports given) by editing the stack's organizations, and runs one
 * `up`. Returns the up's result and the new peer's join-step output.
 */
export async function addPeer(
    net: RunningNetwork,
    peer: { org: string; name: string; host: string; port: number; operationsPort: number },
) {
    const ns = DEFAULTS.namespace;
    const orgs = JSON.parse(JSON.stringify(net.config.plain.organizations)) as Array<{
        name: string;
        peers: Array<Record<string, unknown>>;
    }>;
    const org = orgs.find((o) => o.name === peer.org);
    if (!org) throw new Error(`no org ${peer.org}`);
    org.peers.push({ name: peer.name, host: peer.host, port: peer.port, operationsPort: peer.operationsPort });
    await net.stack.setConfig(`${ns}:organizations`, { value: JSON.stringify(orgs) });
    net.config.plain.organizations = orgs;
    const up = await net.stack.up({ onOutput: (s) => process.stdout.write(s) });
    const state = (await net.stack.exportStack()).deployment as {
        resources: Array<{ type: string; urn: string; outputs?: { stdout?: string } }>;
    };
    const join = state.resources.find(
        (r) => r.type === "command:remote:Command" && r.urn.includes(`-join-${peer.name}-`),
    );
    return { up, joinOutput: join?.outputs?.stdout ?? "" };
}

/**
 * Runs `up` while host `hostName` is off the network: it must fail before changing anything, naming the host
 * and its steps. Then, with the host back, `up` again must succeed and change nothing.
 */
export async function upWhileHostUnreachable(net: RunningNetwork, hostName: string) {
    const sim = net.host(hostName);
    let error = "";
    await hostEngine(sim, "disconnect");
    try {
        const t0 = Date.now();
        await net.stack.up().then(
            () => (error = ""),
            (e: Error) => (error = e.message),
        );
        console.log(`day2: up with ${hostName} unreachable failed after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } finally {
        await hostEngine(sim, "connect");
    }
    const again = await net.stack.up();
    return { error, again };
}

/**
 * Moves broker `broker` to host `to.name`, a host new to the topology played by simulated host `to.sim`, by
 * editing the stack (the host and its credential added, the broker's `host` changed and its old host named in
 * `movedFrom`) and running one `up`, while the stock gateway client keeps submitting on every peer. The `up`
 * stops the broker on its old host and carries its log volume over before it starts on the new one, so it keeps
 * its id and its data. Then `movedFrom` is removed again (as the README tells an operator), in a second `up`.
 * Returns what the preview planned for containers, the `up`s, the traffic figures of the move, when every
 * partition of the channels was in sync again, and, per peer, the acknowledged transactions it does not have.
 */
export async function moveBroker(net: RunningNetwork, broker: string, to: { name: string; sim: SimHost }) {
    const ns = DEFAULTS.namespace;
    const plain = net.config.plain as {
        hosts: Array<Record<string, unknown>>;
        ordering: { kafka: { brokers: Array<Record<string, unknown>> } };
    };
    const spec = net.spec;
    if (spec.ordering.type !== "kafka") throw new Error(`moving a broker needs kafka ordering`);
    const before = spec.ordering.kafka.brokers.find((b) => b.name === broker);
    if (!before) throw new Error(`no broker ${broker}`);
    const hosts = [...plain.hosts, simHostEntry(to.name, to.sim)];
    const ordering = JSON.parse(JSON.stringify(plain.ordering)) as typeof plain.ordering;
    // Brokers are numbered by their place in the list (kafka<N> is the N-th): only its host changes.
    ordering.kafka.brokers[before.id - 1]!.host = to.name;
    ordering.kafka.brokers[before.id - 1]!.movedFrom = before.host;
    const privateKey = fs.readFileSync(to.sim.keyFile, "utf8");
    await net.stack.setConfig(`credentials.${to.name}.privateKey`, { value: privateKey, secret: true }, true);
    await net.stack.setConfig(`${ns}:hosts`, { value: JSON.stringify(hosts) });
    await net.stack.setConfig(`${ns}:ordering`, { value: JSON.stringify(ordering) });
    plain.hosts = hosts;
    plain.ordering = ordering;
    net.config.credentials[to.name] = { privateKey };

    const planned: Record<string, string[]> = {};
    await net.stack.preview({
        onEvent: (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && m.type === "docker:index/container:Container" && m.op !== "same" && m.op !== "read")
                (planned[m.op] ??= []).push(m.urn.split("::").pop()!);
        },
    });
    console.log(`day2: moving ${broker} to ${to.name}: the preview plans ${JSON.stringify(planned)}`);

    const channels = [spec.systemChannel, ...spec.channels.map((c) => c.name)];
    const run = await startTraffic(net);
    await sleep(10_000);
    const from = Date.now();
    const up = await net.stack.up({ onOutput: (x) => process.stdout.write(x) });
    const effectiveAt = Date.now();
    const recoveredAt = await waitFor(`a commit after ${broker} moved`, 180_000, () =>
        run.traffic.firstCommitAfter(effectiveAt),
    );
    run.windows.push({
        fault: `move ${broker}`,
        host: `${before.host} -> ${to.name}`,
        from,
        to: NaN,
        effectiveAt,
        recoveredAt,
    });
    const z = spec.ordering.zookeepers[0]!;
    const ids = await registeredBrokers(net.host(z.host), z.name, zookeeperPlaintextPort(net.spec, z));
    const partitions: Record<string, unknown> = {};
    for (const ch of channels) {
        partitions[ch] = await waitFor(`${ch}: every replica in sync after ${broker} moved`, 300_000, async () => {
            const p = await partitionState(net, ch).catch(() => undefined);
            return p && p.replicas.every((r) => p.isr.includes(r)) ? p : undefined;
        });
    }
    const inSyncSeconds = (Date.now() - effectiveAt) / 1000;
    await sleep(10_000);
    const figures = await stopTraffic(run);
    const height = await ledgersConverge(net);
    const missing = await missingOnPeers(net, run.traffic.committed());

    // The move is done: the operator removes movedFrom; the next up only forgets the carry step.
    const settled = JSON.parse(JSON.stringify(ordering)) as typeof ordering;
    delete settled.kafka.brokers[before.id - 1]!.movedFrom;
    await net.stack.setConfig(`${ns}:ordering`, { value: JSON.stringify(settled) });
    plain.ordering = settled;
    const settle = await net.stack.up();
    return {
        planned,
        up,
        settle,
        upSeconds: (effectiveAt - from) / 1000,
        registered: ids,
        partitions,
        inSyncSeconds,
        figures,
        height,
        missing,
    };
}
