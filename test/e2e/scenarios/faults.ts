/**
 * Fault injection on a running network: continuous traffic from the stock Fabric client (one gateway per peer,
 * each submitting `put` on keys of its own so no two transactions conflict), while whole simulated hosts lose
 * their Docker engine: the Kafka broker leading the channel's partition, then the ZooKeeper leader, then an
 * orderer; then all three come back. Afterwards every transaction the client saw committed is read back from
 * every peer, and the peers' and orderers' ledgers end at the same height.
 *
 * Exported as phases over a RunningNetwork so a longer scenario can chain them on one shared network.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Contract } from "@hyperledger/fabric-gateway";
import { KafkaOrderingSpec, PeerSpec } from "../../../config";
import {
    CLI,
    ClientIdentities,
    ConnectionProfile,
    allPeers,
    applicationFolder,
    cliName,
    ordererContainer,
    primaryOrderer,
} from "../../../plan";
import { GatewayConnection, connectGateway } from "../../../scripts/lib/gateway";
import { zookeeperPlaintextPort } from "../../../plan/ordering/kafka";
import { ROOT } from "../../support/stacks";
import {
    RunningNetwork,
    hostEngine,
    onHost,
    readyOnHost,
    registeredBrokers,
    sh,
    waitFor,
    zookeeperMode,
} from "../support/harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TxRecord {
    readonly key: string;
    readonly value: string;
    readonly peer: string;
    readonly sentAt: number;
    doneAt?: number;
    ok?: boolean;
    error?: string;
}

/**
 * Keeps `concurrency` submissions in flight, spread over the given gateways. A submission counts as committed
 * only when the client got the commit status VALID back (submitTransaction resolved); anything else is failed.
 */
export class Traffic {
    readonly records: TxRecord[] = [];
    private running = false;
    private workers: Promise<void>[] = [];

    constructor(
        private readonly contracts: ReadonlyArray<{ peer: string; contract: Contract }>,
        private readonly prefix: string,
        private readonly concurrency: number,
    ) {}

    start(): void {
        this.running = true;
        for (let w = 0; w < this.concurrency; w++) this.workers.push(this.worker(w));
    }

    private async worker(w: number): Promise<void> {
        for (let n = 0; this.running; n++) {
            const target = this.contracts[(w + n) % this.contracts.length]!;
            const key = `${this.prefix}-${w}-${n}`;
            const r: TxRecord = { key, value: `v${n}.${w}`, peer: target.peer, sentAt: Date.now() };
            this.records.push(r);
            try {
                await target.contract.submitTransaction("put", key, r.value);
                r.ok = true;
            } catch (e) {
                r.ok = false;
                r.error = (e as Error).message.split("\n")[0];
            }
            r.doneAt = Date.now();
            // A failing network fails fast: do not spin.
            if (!r.ok) await sleep(1000);
        }
    }

    async stop(): Promise<void> {
        this.running = false;
        await Promise.all(this.workers);
        this.workers = [];
    }

    committed(): TxRecord[] {
        return this.records.filter((r) => r.ok === true);
    }

    /** When the first transaction sent at or after `t` was acknowledged as committed, if one was. */
    firstCommitAfter(t: number): number | undefined {
        const done = this.records.filter((r) => r.ok && r.sentAt >= t).map((r) => r.doneAt!);
        return done.length ? Math.min(...done) : undefined;
    }

    stats(from: number, to: number) {
        const sent = this.records.filter((r) => r.sentAt >= from && r.sentAt < to);
        return {
            sent: sent.length,
            committed: sent.filter((r) => r.ok === true).length,
            failed: sent.filter((r) => r.ok === false).length,
        };
    }
}

export interface FaultWindow {
    readonly fault: string;
    readonly host: string;
    /** When the fault started (the stop or start was issued) and when the next phase began. */
    readonly from: number;
    to: number;
    /** When the fault was complete (engine gone, or back and its nodes ready). */
    readonly effectiveAt: number;
    /** When the first transaction sent after `effectiveAt` committed. */
    readonly recoveredAt: number;
}

export interface FaultFigures {
    readonly fault: string;
    readonly host: string;
    readonly sent: number;
    readonly committed: number;
    readonly failed: number;
    readonly recoverySeconds: number;
}

export interface FaultRun {
    readonly traffic: Traffic;
    readonly clients: GatewayConnection[];
    readonly windows: FaultWindow[];
    readonly started: number;
}

/** The Kafka backend: brokers and ZooKeeper nodes are what this scenario takes away. */
function kafkaOf(net: RunningNetwork): KafkaOrderingSpec {
    if (net.spec.ordering.type !== "kafka")
        throw new Error(`the fault scenario needs kafka ordering, not ${net.spec.ordering.type}`);
    return net.spec.ordering;
}

const channelOf = (net: RunningNetwork) => {
    const cc = net.spec.chaincodes[0]!;
    return { channel: cc.channel, chaincode: cc.name };
};

/**
 * A gateway on every peer, each with its org's User1, from the application folder the stack's outputs make
 * (what `npm run identity` writes), through the shared client helper: the test connects as an application does.
 */
export async function gatewaysFor(net: RunningNetwork): Promise<GatewayConnection[]> {
    const outputs = await net.stack.outputs();
    const profiles = outputs.connectionProfiles!.value as Record<string, string>;
    const identities = outputs.identities!.value as ClientIdentities;
    const chaincodes = outputs.chaincodes!.value as Record<string, { channel: string }>;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fk-faults-"));
    const folder = (mspId: string) => {
        const dir = path.join(scratch, mspId);
        if (!fs.existsSync(dir)) {
            const files = applicationFolder(
                JSON.parse(profiles[mspId]!) as ConnectionProfile,
                identities[mspId]!.User1!,
                chaincodes,
            );
            for (const f of files) {
                fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true, mode: 0o700 });
                fs.writeFileSync(path.join(dir, f.path), f.content, { mode: f.secret ? 0o600 : 0o644 });
            }
        }
        return dir;
    };
    return allPeers(net.spec).map((p) => connectGateway(folder(p.mspId), { peer: p.fqdn, submitTimeoutMs: 30_000 }));
}

/** Starts traffic on every peer's gateway and waits until it commits (the baseline). */
export async function startTraffic(net: RunningNetwork, concurrency = 6, boundMs = 120_000): Promise<FaultRun> {
    const { channel, chaincode } = channelOf(net);
    const clients = await gatewaysFor(net);
    const traffic = new Traffic(
        clients.map((c) => ({ peer: c.peer, contract: c.contract(channel, chaincode) })),
        `ft${Date.now().toString(36)}`,
        concurrency,
    );
    const started = Date.now();
    traffic.start();
    await waitFor("the first transaction commits", boundMs, () => traffic.firstCommitAfter(started));
    return { traffic, clients, windows: [], started };
}

/**
 * The data of ZooKeeper node `znode`, read with the image's own client inside the first ZooKeeper container, on
 * the plaintext port that listens on the container's loopback only (the client port proper speaks TLS with
 * client certificates when network.tls is on).
 */
async function zookeeperGet(net: RunningNetwork, znode: string): Promise<string> {
    const z = kafkaOf(net).zookeepers[0]!;
    const port = zookeeperPlaintextPort(net.spec, z);
    return onHost(net.host(z.host), [
        "docker",
        "exec",
        z.name,
        "sh",
        "-c",
        'zkCli.sh -server "127.0.0.1:$1" get "$2" 2>/dev/null',
        "zk-get",
        String(port),
        znode,
    ]);
}

/**
 * The channel's partition as ZooKeeper records it: the broker ids assigned to it (replicas), those in sync
 * (isr), and the leader.
 */
export async function partitionState(net: RunningNetwork, channel: string) {
    const state = await zookeeperGet(net, `/brokers/topics/${channel}/partitions/0/state`);
    const topic = await zookeeperGet(net, `/brokers/topics/${channel}`);
    const ids = (s: string | undefined) => (s ?? "").split(",").filter(Boolean).map(Number);
    const leader = Number(/"leader":(\d+)/.exec(state)?.[1]);
    if (!Number.isInteger(leader))
        throw new Error(`no leader of ${channel}/0 in ZooKeeper's answer: ${state.slice(-300)}`);
    return {
        leader,
        isr: ids(/"isr":\[([\d,]*)\]/.exec(state)?.[1]).sort((a, b) => a - b),
        replicas: ids(/"0":\[([\d,]*)\]/.exec(topic)?.[1]).sort((a, b) => a - b),
    };
}

/** The broker that leads the channel's partition, as ZooKeeper records it. */
export async function partitionLeader(net: RunningNetwork, channel: string): Promise<string> {
    const { leader } = await partitionState(net, channel);
    const broker = kafkaOf(net).kafka.brokers.find((b) => b.id === leader);
    if (!broker) throw new Error(`the leader of ${channel}/0 is broker ${leader}, which the topology does not have`);
    return broker.name;
}

/** The ZooKeeper node that is the ensemble's leader. */
export async function zookeeperLeader(net: RunningNetwork): Promise<string> {
    const k = kafkaOf(net);
    for (const z of k.zookeepers) {
        if ((await zookeeperMode(net.host(z.host), z.name, zookeeperPlaintextPort(net.spec, z))) === "leader")
            return z.name;
    }
    throw new Error("no ZooKeeper node reports itself leader");
}

/**
 * Stops the engine of the host running `node` (a broker, ZooKeeper node or orderer name) while the traffic
 * flows, then waits until a transaction sent after the engine was gone commits (bounded), then lets the traffic
 * run `dwellMs` more under the fault.
 */
export async function stopHostOf(
    net: RunningNetwork,
    run: FaultRun,
    fault: string,
    hostName: string,
    opts: { boundMs?: number; dwellMs?: number } = {},
): Promise<FaultWindow> {
    const from = Date.now();
    closeWindow(run, from);
    await hostEngine(net.host(hostName), "stop");
    const effectiveAt = Date.now();
    const recoveredAt = await waitFor(
        `a commit after ${fault} (host ${hostName}) stopped`,
        opts.boundMs ?? 180_000,
        () => run.traffic.firstCommitAfter(effectiveAt),
    );
    const w: FaultWindow = { fault, host: hostName, from, to: Number.NaN, effectiveAt, recoveredAt };
    run.windows.push(w);
    await sleep(opts.dwellMs ?? 20_000);
    return w;
}

function closeWindow(run: FaultRun, t: number): void {
    const last = run.windows.at(-1);
    if (last && Number.isNaN(last.to)) last.to = t;
}

/**
 * Starts the engines of the given hosts again, waits until their nodes are back in service (ZooKeeper in the
 * ensemble, every broker registered, orderers ready), then until a transaction sent after that commits.
 */
export async function restoreHosts(
    net: RunningNetwork,
    run: FaultRun,
    hostNames: readonly string[],
    opts: { boundMs?: number; dwellMs?: number } = {},
): Promise<FaultWindow> {
    const bound = opts.boundMs ?? 240_000;
    const from = Date.now();
    closeWindow(run, from);
    for (const h of hostNames) await hostEngine(net.host(h), "start");
    const k = kafkaOf(net);
    for (const z of k.zookeepers.filter((x) => hostNames.includes(x.host))) {
        await waitFor(
            `${z.name} back in the ensemble`,
            bound,
            async () => {
                const m = await zookeeperMode(net.host(z.host), z.name, zookeeperPlaintextPort(net.spec, z));
                return m === "leader" || m === "follower" ? m : undefined;
            },
            2000,
        );
    }
    const z0 = k.zookeepers.find((z) => !hostNames.includes(z.host)) ?? k.zookeepers[0]!;
    const all = k.kafka.brokers.map((b) => String(b.id)).sort();
    await waitFor(
        "every broker registered again",
        bound,
        async () => {
            const ids = await registeredBrokers(net.host(z0.host), z0.name, zookeeperPlaintextPort(net.spec, z0)).catch(
                () => undefined,
            );
            return JSON.stringify(ids) === JSON.stringify(all) ? ids : undefined;
        },
        2000,
    );
    for (const o of net.spec.orderers.filter((x) => hostNames.includes(x.host))) {
        // The orderer's own readiness check from the plan (the official image has no Docker health check).
        const check = ordererContainer(net.spec, o).readiness!.check;
        await waitFor(`${o.fqdn} ready`, bound, () => readyOnHost(net.host(o.host), check), 2000);
    }
    const effectiveAt = Date.now();
    const recoveredAt = await waitFor("a commit after the hosts came back", bound, () =>
        run.traffic.firstCommitAfter(effectiveAt),
    );
    const w: FaultWindow = {
        fault: "restore",
        host: hostNames.join("+"),
        from,
        to: Number.NaN,
        effectiveAt,
        recoveredAt,
    };
    run.windows.push(w);
    await sleep(opts.dwellMs ?? 20_000);
    return w;
}

/** Stops the traffic and returns the figures per fault window (printed as one line each). */
export async function stopTraffic(run: FaultRun): Promise<FaultFigures[]> {
    closeWindow(run, Date.now());
    await run.traffic.stop();
    for (const c of run.clients) c.close();
    const figures = run.windows.map((w) => ({
        fault: w.fault,
        host: w.host,
        ...run.traffic.stats(w.from, w.to),
        recoverySeconds: (w.recoveredAt - w.effectiveAt) / 1000,
    }));
    const base = run.traffic.stats(run.started, run.windows[0]?.from ?? Date.now());
    console.log(`faults: baseline: sent ${base.sent}, committed ${base.committed}, failed ${base.failed}`);
    for (const f of figures) {
        console.log(
            `faults: ${f.fault} (${f.host}): sent ${f.sent}, committed ${f.committed}, failed ${f.failed}, ` +
                `recovered in ${f.recoverySeconds.toFixed(1)} s`,
        );
    }
    const errors = new Map<string, number>();
    for (const r of run.traffic.records.filter((x) => x.ok === false))
        errors.set(r.error ?? "?", (errors.get(r.error ?? "?") ?? 0) + 1);
    for (const [e, n] of errors) console.log(`faults: ${n} x ${e}`);
    return figures;
}

const cliOf = (net: RunningNetwork, p: PeerSpec, args: string[], input?: string, timeoutMs = 600_000) =>
    sh(
        "bash",
        [path.join(ROOT, "test/e2e/hosts/exec.sh"), net.host(p.host).name, "docker", "exec", "-i", cliName(p), ...args],
        {
            timeoutMs,
            ...(input !== undefined ? { input } : {}),
        },
    );

/** `{height, hash}` of a peer's ledger of `channel`, from `peer channel getinfo`. */
export async function peerLedger(net: RunningNetwork, p: PeerSpec, channel: string) {
    const out = await cliOf(net, p, ["peer", "channel", "getinfo", "-c", channel]);
    const m = /"height":(\d+),"currentBlockHash":"([^"]*)"/.exec(out);
    if (!m) throw new Error(`${p.fqdn}: no ledger info in ${out}`);
    return { height: Number(m[1]), hash: m[2]! };
}

/** The channel's height at one orderer: its newest block's number + 1, fetched from that orderer only. */
export async function ordererHeight(net: RunningNetwork, via: PeerSpec, ordererFqdn: string, channel: string) {
    const o = net.spec.orderers.find((x) => x.fqdn === ordererFqdn)!;
    const tls = net.spec.tls ? `--tls --cafile ${CLI.tlsCa(net.spec.ordererOrg.domain)}` : "";
    const out = await cliOf(net, via, [
        "sh",
        "-c",
        `f=$(mktemp); peer channel fetch newest "$f" -c ${channel} -o ${o.fqdn}:${o.port} ${tls} >/dev/null 2>&1 && configtxlator proto_decode --input "$f" --type common.Block | jq -r '.header.number // 0'; rm -f "$f"`,
    ]);
    return Number(out.trim()) + 1;
}

/**
 * Waits (bounded) until every peer's ledger has the same height and last block hash, and every orderer serves
 * that height; returns the height.
 */
export async function ledgersConverge(net: RunningNetwork, boundMs = 180_000): Promise<number> {
    const { channel } = channelOf(net);
    const peers = allPeers(net.spec);
    let last = "";
    const height = await waitFor(
        () => `ledgers of ${channel} converge (last: ${last})`,
        boundMs,
        async () => {
            const infos = await Promise.all(peers.map((p) => peerLedger(net, p, channel)));
            last = peers.map((p, i) => `${p.fqdn} ${infos[i]!.height}`).join(", ");
            const same = infos.every((i) => i.height === infos[0]!.height && i.hash === infos[0]!.hash);
            return same ? infos[0]!.height : undefined;
        },
        3000,
    );
    const orderers: string[] = [];
    for (const o of net.spec.orderers) {
        const h = await waitFor(
            `${o.fqdn} serves height ${height}`,
            boundMs,
            async () => {
                const x = await ordererHeight(net, peers[0]!, o.fqdn, channel).catch(() => 0);
                return x >= height ? x : undefined;
            },
            3000,
        );
        orderers.push(`${o.fqdn} ${h}`);
    }
    console.log(`faults: ledgers: peers at ${height} with one last block hash; orderers: ${orderers.join(", ")}`);
    return height;
}

/**
 * Reads every committed key from every peer (each peer's own CLI queries its own peer) and returns, per peer,
 * the keys that are missing or hold another value.
 */
export async function missingOnPeers(net: RunningNetwork, records: readonly TxRecord[]) {
    const { channel, chaincode } = channelOf(net);
    const input = records.map((r) => r.key).join("\n") + "\n";
    const script = [
        `while read -r k; do`,
        `  v=$(peer chaincode query -C ${channel} -n ${chaincode} -c "{\\"Args\\":[\\"get\\",\\"$k\\"]}" 2>/dev/null) || v='<missing>'`,
        `  printf '%s %s\\n' "$k" "$v"`,
        `done`,
    ].join("\n");
    const expected = new Map(records.map((r) => [r.key, r.value]));
    const out: Record<string, string[]> = {};
    await Promise.all(
        allPeers(net.spec).map(async (p) => {
            const t0 = Date.now();
            const lines = (await cliOf(net, p, ["sh", "-c", script], input)).trim().split("\n");
            const seen = new Map(lines.map((l) => [l.split(" ")[0]!, l.slice(l.indexOf(" ") + 1)]));
            out[p.fqdn] = [...expected].filter(([k, v]) => seen.get(k) !== v).map(([k]) => k);
            console.log(
                `faults: ${p.fqdn}: ${expected.size - out[p.fqdn]!.length} of ${expected.size} committed keys read back in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
            );
        }),
    );
    return out;
}

/** The whole scenario: broker leader, ZooKeeper leader, an orderer down in turn under traffic, then back. */
export async function faultScenario(net: RunningNetwork, opts: { dwellMs?: number; concurrency?: number } = {}) {
    const { channel } = channelOf(net);
    const k = kafkaOf(net);
    const run = await startTraffic(net, opts.concurrency ?? 6);
    await sleep(opts.dwellMs ?? 20_000);
    const broker = await partitionLeader(net, channel);
    const brokerHost = k.kafka.brokers.find((b) => b.name === broker)!.host;
    await stopHostOf(net, run, `broker ${broker} (leader of ${channel})`, brokerHost, opts);
    const zk = await zookeeperLeader(net);
    const zkHost = k.zookeepers.find((z) => z.name === zk)!.host;
    await stopHostOf(net, run, `zookeeper ${zk} (leader)`, zkHost, opts);
    const orderer = primaryOrderer(net.spec);
    await stopHostOf(net, run, `orderer ${orderer.fqdn}`, orderer.host, opts);
    await restoreHosts(net, run, [brokerHost, zkHost, orderer.host], opts);
    const figures = await stopTraffic(run);
    const height = await ledgersConverge(net);
    const committed = run.traffic.committed();
    const missing = await missingOnPeers(net, committed);
    return { figures, height, committed: committed.length, sent: run.traffic.records.length, missing };
}
