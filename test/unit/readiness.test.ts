/**
 * The readiness contracts (plan/readiness): what each role's check decides, run under sh against a stand-in
 * `docker` and real TCP/HTTP servers playing the nodes, and the polling step around it (ready, not ready yet,
 * timeout). Inside the stand-in container only the tools the official image has are on the PATH. With BusyBox
 * installed, Kafka's check also runs against BusyBox's cat, and the step under BusyBox's sh.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import {
    READY_POLL_MS,
    Readiness,
    buildPlan,
    chaincodeReadiness,
    couchdbReadiness,
    kafkaReadiness,
    ordererReadiness,
    peerReadiness,
    readinessScript,
    zookeeperReadiness,
} from "../../plan";
import { FakeDocker, which } from "../support/fakeDocker";
import { stackSpec } from "../support/stacks";

/** Only what the contracts read from a spec. */
const spec = (readyTimeoutSeconds = 300) => ({ readyTimeoutSeconds }) as NetworkSpec;
const STARTED = "2026-11-30T05:00:00.123456789Z";
const RUNNING = `running ${STARTED}`;

/** A TCP server on a free loopback port; `reply` answers whatever one connection sends first. */
async function tcpServer(reply?: (input: string) => string): Promise<{ port: number; close: () => void }> {
    const server = net.createServer((s) => {
        if (reply) s.once("data", (d) => s.end(reply(d.toString())));
        else s.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

/** An HTTP server on a free loopback port answering every request with `status()`; counts requests. */
async function httpServer(status: (req: http.IncomingMessage) => number) {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
        seen.push(req.url ?? "");
        res.writeHead(status(req)).end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as net.AddressInfo).port, seen, close: () => server.close() };
}

/**
 * The orderer's gRPC port: `settings` answers HTTP/2's client preface (only the exact preface) with a SETTINGS
 * frame, as a plaintext gRPC server does; `close` closes the connection, as a TLS server does on a first record
 * that is not a handshake; `reset` resets it, as a TLS server does when it closes with the rest of the preface
 * unread; `silent` accepts and never reads, as the listener does before Fabric serves. Counts
 * connections.
 */
const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

async function grpcPort(mode: () => "settings" | "close" | "reset" | "silent") {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
        sockets.add(s);
        // The probe closes its end once it has an answer (or gave up): a reset then is expected.
        s.on("error", () => undefined);
        const m = mode();
        if (m === "close") s.end();
        if (m === "reset") s.resetAndDestroy();
        if (m === "settings") {
            // Read until the preface's 24 bytes are in, however they were split: bash's printf writes line by
            // line, and under load the pieces arrive apart (a real HTTP/2 server reads the preface whole too).
            let got = "";
            s.on("data", (d) => {
                if (got.length >= PREFACE.length) return;
                got += d.toString("latin1");
                if (got.length >= PREFACE.length && got.startsWith(PREFACE))
                    s.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
            });
        }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
        port: (server.address() as net.AddressInfo).port,
        connections: () => sockets.size,
        close: () => {
            for (const s of sockets) s.destroy();
            server.close();
        },
    };
}

/** A port on which nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
    const s = await tcpServer();
    s.close();
    return s.port;
}

let docker: FakeDocker;
beforeAll(() => {
    docker = new FakeDocker();
});
afterAll(() => docker.cleanup());

/** Runs one contract's check once, as the step's function does. */
const check = (r: Readiness, shell?: readonly string[]) =>
    docker.run(`ready_check() {\n${r.check}\n}\nready_check`, shell);

describe("the contracts", () => {
    it("take their timeout from the spec and poll well within a second, for every role of the dev network", () => {
        const dev = stackSpec("dev");
        const plan = buildPlan(dev);
        const contracts = [...plan.containers.values()].flat().filter((c) => c.readiness);
        expect(new Set(contracts.map((c) => c.role))).toEqual(new Set(["zookeeper", "kafka", "orderer", "peer"]));
        for (const c of [...contracts, ...plan.chaincodeContainers]) {
            expect(c.readiness!.timeoutSeconds, c.name).toBe(dev.readyTimeoutSeconds);
            expect(c.readiness!.intervalMs, c.name).toBe(READY_POLL_MS);
        }
        expect(READY_POLL_MS).toBeLessThan(1000);
    });

    it("never run a script baked into an image, and quote every name they interpolate", () => {
        const all = [
            zookeeperReadiness(spec(), "it's", 2181),
            kafkaReadiness(spec(), "it's", 9092),
            ordererReadiness(spec(), "it's", 7050, 8443),
            peerReadiness(spec(), "it's", 9443),
            couchdbReadiness(spec(), "it's", 5984),
            chaincodeReadiness(spec(), "it's", "peer's", 9999),
        ];
        for (const r of all) {
            expect(r.check).not.toContain("/usr/local/bin/healthcheck");
            expect(r.check).toContain(`'it'\\''s'`);
            expect(r.check).not.toMatch(/[^\\']it's/);
        }
    });
});

describe("what a readiness step says it waits for", () => {
    it("heads its script with the node and its contract, the node's name shown safely", () => {
        const head = (r: Readiness, node = "n1") => readinessScript(node, "h1", r).split("\n")[0];
        expect(head(zookeeperReadiness(spec(), "z", 2181))).toBe(
            "# Readiness of n1: serving requests as leader, follower or standalone (srvr)",
        );
        expect(head(kafkaReadiness(spec(), "k", 9092))).toBe(
            "# Readiness of n1: registered in ZooKeeper, started, listener open",
        );
        expect(head(ordererReadiness(spec(), "o", 7050, 8443))).toBe(
            "# Readiness of n1: serving, its Kafka chains started, /healthz 200",
        );
        expect(head(peerReadiness(spec(), "p", 9443))).toBe("# Readiness of n1: /healthz 200");
        expect(head(couchdbReadiness(spec(), "c", 5984))).toBe("# Readiness of n1: answers an authenticated _all_dbs");
        expect(head(chaincodeReadiness(spec(), "cc", "p", 9999))).toBe(
            "# Readiness of n1: accepts connections from its peer on port 9999",
        );
        expect(head(peerReadiness(spec(), "p", 9443), "a b;c\nd")).toBe("# Readiness of a?b?c?d: /healthz 200");
    });

    it("polls at its interval, in seconds without trailing zeros, falling back to whole seconds", () => {
        const sleepOf = (intervalMs: number) =>
            readinessScript("n", "h", { ...peerReadiness(spec(), "p", 9443), intervalMs })
                .split("\n")
                .find((l) => l.trim().startsWith("sleep "))!
                .trim();
        expect(sleepOf(500)).toBe("sleep 0.5 2>/dev/null || sleep 1");
        expect(sleepOf(250)).toBe("sleep 0.25 2>/dev/null || sleep 1");
        expect(sleepOf(1000)).toBe("sleep 1 2>/dev/null || sleep 1");
        expect(sleepOf(1500)).toBe("sleep 1.5 2>/dev/null || sleep 1");
        expect(sleepOf(2000)).toBe("sleep 2 2>/dev/null || sleep 1");
    });

    it("looks for a listener below port 4096 by its four-digit hex, as /proc/net/tcp writes it", () => {
        expect(kafkaReadiness(spec(), "k", 2181).check).toContain("awk -v p=:0885 ");
        expect(kafkaReadiness(spec(), "k", 9092).check).toContain("awk -v p=:2384 ");
    });
});

describe("ZooKeeper: srvr on the plaintext client port, over bash inside the container", () => {
    const tools = ["bash"];
    it("is ready as leader, follower or standalone", async () => {
        for (const mode of ["leader", "follower", "standalone"]) {
            const zk = await tcpServer((q) =>
                q === "srvr" ? `Zookeeper version: 3.8.4\nMode: ${mode}\nNode count: 5\n` : "",
            );
            docker.node({ states: [RUNNING], tools });
            const r = await check(zookeeperReadiness(spec(), "zookeeper1", zk.port));
            zk.close();
            expect(r.code, r.stdout).toBe(0);
            expect(r.stdout.trim()).toBe(`Mode: ${mode}`);
            expect(docker.execContainers()).toEqual(["zookeeper1"]);
        }
    });

    it("is not ready while it is not serving, or nothing listens", async () => {
        const zk = await tcpServer(() => "This ZooKeeper instance is not currently serving requests\n");
        docker.node({ states: [RUNNING], tools });
        let r = await check(zookeeperReadiness(spec(), "zookeeper1", zk.port));
        zk.close();
        expect(r.code).toBe(1);
        expect(r.stdout.trim()).toBe("not serving: This ZooKeeper instance is not currently serving requests");
        r = await check(zookeeperReadiness(spec(), "zookeeper1", await closedPort()));
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/^not serving: .*Connection refused/);
    });

    it("is not ready when the container does not run or does not exist, and asks nothing inside it then", async () => {
        docker.node({ states: [`exited ${STARTED}`], tools });
        let r = await check(zookeeperReadiness(spec(), "zookeeper1", 2181));
        expect([r.code, r.stdout.trim()]).toEqual([1, "container is exited"]);
        docker.node({ states: ["missing"], tools });
        r = await check(zookeeperReadiness(spec(), "zookeeper1", 2181));
        expect([r.code, r.stdout.trim()]).toEqual([1, "Error: No such object: zookeeper1"]);
        expect(docker.execContainers()).toEqual([]);
        // It stopped between the two questions: the exec's refusal is the reason given.
        docker.node({ states: [RUNNING], stopped: true, tools });
        r = await check(zookeeperReadiness(spec(), "zookeeper1", 2181));
        expect([r.code, r.stdout.trim()]).toEqual([
            1,
            "not serving: Error response from daemon: container zookeeper1 is not running",
        ]);
    });
});

describe("Kafka: registered and started in this run (its log), listener open (its /proc/net/tcp)", () => {
    const registered =
        "[2026-11-30 05:00:03,100] INFO Registered broker 2 at path /brokers/ids/2 with addresses: PLAINTEXT://kafka2:9092, czxid (broker epoch): 4294967321 (kafka.zk.KafkaZkClient)\n";
    const started = "[2026-11-30 05:00:03,500] INFO [KafkaServer id=2] started (kafka.server.KafkaServer)\n";
    const tools = ["cat"];

    it("is ready once both lines are in this run's log and the port accepts connections", async () => {
        const port = await tcpServer();
        docker.node({ states: [RUNNING], stdoutLog: `noise\n${registered}noise\n${started}`, tools });
        const r = await check(kafkaReadiness(spec(), "kafka2", port.port));
        port.close();
        expect(r.code, r.stdout).toBe(0);
        expect(r.stdout.trim()).toBe("Registered broker 2");
        // Only this run's log: from the container's own start time.
        expect(docker.calls()).toContain(`logs --since ${STARTED} kafka2`);
    });

    it("says what is missing otherwise", async () => {
        const cases: Array<[string, string]> = [
            ["starting\n", "not registered in ZooKeeper yet"],
            [registered, "registered, not started yet"],
            // Another component's "started" is not the broker's.
            [
                `${registered}[2026-11-30 05:00:03,400] INFO [SocketServer listenerType=ZK_BROKER, nodeId=2] started\n`,
                "registered, not started yet",
            ],
            [
                `${registered}${started}[2026-11-30 05:09:00,000] INFO [KafkaServer id=2] shutting down (kafka.server.KafkaServer)\n`,
                "shutting down",
            ],
        ];
        for (const [log, why] of cases) {
            docker.node({ states: [RUNNING], stdoutLog: log, tools });
            const r = await check(kafkaReadiness(spec(), "kafka2", 9092));
            expect([r.code, r.stdout.trim()], why).toEqual([1, why]);
        }
        docker.node({ states: [RUNNING], stdoutLog: registered + started, tools });
        const port = await closedPort();
        const r = await check(kafkaReadiness(spec(), "kafka2", port));
        expect([r.code, r.stdout.trim()]).toEqual([1, `port ${port} is not listening`]);
    });
});

describe("orderer: its gRPC port serving, Kafka chains through their start phase, then /healthz", () => {
    // The official Fabric 2.5 images are Ubuntu with bash and no curl, wget or nc.
    const tools = ["bash"];
    // What the orderer logs with orderer.common.server at WARNING (plan/orderer.ts): its chains' lines only.
    const log = (complete: readonly string[]) =>
        [
            ...["system-channel", "mychannel"].map(
                (ch) =>
                    `2026-11-30 05:00:11.000 UTC 0002 INFO [orderer.consensus.kafka] startThread -> [channel: ${ch}] Starting chain with last persisted offset -3 and last recorded block [0]`,
            ),
            ...complete.map(
                (ch) =>
                    `2026-11-30 05:00:14.000 UTC 0004 INFO [orderer.consensus.kafka] startThread -> [channel: ${ch}] Start phase completed successfully`,
            ),
        ].join("\n") + "\n";
    const orderer = "orderer0.example.com";

    /**
     * One check of the orderer's readiness against a /healthz answering `status` and a gRPC port in `mode`, the
     * stand-in container set up by `node`; both servers closed afterwards. Returns the code and the answer.
     */
    async function askOrderer(
        status: number,
        mode: "settings" | "close" | "reset" | "silent",
        node: Parameters<FakeDocker["node"]>[0],
    ): Promise<{ code: number; answer: string; grpcPort: number; connections: number }> {
        const ops = await httpServer(() => status);
        const grpc = await grpcPort(() => mode);
        docker.node(node);
        const r = await check(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        ops.close();
        grpc.close();
        return { code: r.code, answer: r.stdout.trim(), grpcPort: grpc.port, connections: grpc.connections() };
    }

    it("calls /healthz only once every chain has started, and probes the port only then; ready on 200", async () => {
        const ops = await httpServer(() => 200);
        const grpc = await grpcPort(() => "settings");
        docker.node({ states: [RUNNING], stderrLog: log(["system-channel"]), tools });
        let r = await check(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        expect([r.code, r.stdout.trim()]).toEqual([1, "Kafka start phase not complete for channel(s): mychannel"]);
        // A /healthz before the producer exists would crash the orderer: nothing was asked, not even the port.
        expect(ops.seen).toEqual([]);
        expect(grpc.connections()).toBe(0);
        docker.node({ states: [RUNNING], stderrLog: log(["system-channel", "mychannel"]), tools });
        r = await check(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        ops.close();
        grpc.close();
        expect([r.code, r.stdout.trim()]).toEqual([0, "healthz 200"]);
        expect(ops.seen).toEqual(["/healthz"]);
        expect(grpc.connections()).toBe(1);
    });

    it("is ready when the port closes the probe's connection, as a TLS orderer does", async () => {
        const r = await askOrderer(200, "close", {
            states: [RUNNING],
            stderrLog: log(["system-channel", "mychannel"]),
            tools,
        });
        expect([r.code, r.answer]).toEqual([0, "healthz 200"]);
    });

    it("is ready when the port resets the connection before the probe has written its preface", async () => {
        // The reset comes first, deterministically: bash's printf is slowed in this container (BASH_ENV). A later
        // write then raises SIGPIPE; the probe must take the reset as served, not die without a word (seen on an
        // orderer under load: "port 7050 is not open" right after a migration abort).
        const slow = path.join(docker.dir, "slow-printf.sh");
        fs.writeFileSync(slow, 'printf() { sleep 0.3; builtin printf "$@"; }\n');
        const r = await askOrderer(200, "reset", {
            states: [RUNNING],
            stderrLog: log(["system-channel", "mychannel"]),
            tools: [...tools, "sleep"],
            env: { BASH_ENV: slow },
        });
        expect([r.code, r.answer]).toEqual([0, "healthz 200"]);
        expect(r.connections).toBe(1);
    });

    it("says when the probe itself fails (no bash in the container)", async () => {
        const r = await askOrderer(200, "settings", { states: [RUNNING], stderrLog: "", tools: ["cat"] });
        expect([r.code, r.answer]).toEqual([1, `probe of port ${r.grpcPort} failed (docker exec status 127)`]);
    });

    it("is not ready while its port accepts but does not serve, or is closed, and asks /healthz nothing then", async () => {
        const ops = await httpServer(() => 200);
        const grpc = await grpcPort(() => "silent");
        docker.node({ states: [RUNNING], stderrLog: "", tools });
        let r = await check(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        grpc.close();
        expect([r.code, r.stdout.trim()]).toEqual([1, `port ${grpc.port} accepts connections, not served yet`]);
        const closed = await closedPort();
        r = await check(ordererReadiness(spec(), orderer, closed, ops.port));
        ops.close();
        expect([r.code, r.stdout.trim()]).toEqual([1, `port ${closed} is not open`]);
        expect(ops.seen).toEqual([]);
    });

    it("is not ready while /healthz fails", async () => {
        const r = await askOrderer(503, "settings", {
            states: [RUNNING],
            stderrLog: log(["system-channel", "mychannel"]),
            tools,
        });
        expect([r.code, r.answer]).toEqual([1, "healthz: HTTP/1.1 503 Service Unavailable"]);
    });

    it("decides the same in a step that runs under set -eu, as the migration's do", async () => {
        const ops = await httpServer(() => 200);
        const grpc = await grpcPort(() => "settings");
        const strict = (r: Readiness) =>
            docker.run(
                `set -eu\nready_check() {\n${r.check}\n}\nif out=$(ready_check 2>&1); then echo "$out"; else echo "$out"; exit 1; fi`,
            );
        // Raft: no chain line at all.
        docker.node({ states: [RUNNING], stderrLog: "", tools });
        let r = await strict(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        expect([r.code, r.stdout.trim()]).toEqual([0, "healthz 200"]);
        docker.node({ states: [RUNNING], stderrLog: log(["system-channel"]), tools });
        r = await strict(ordererReadiness(spec(), orderer, grpc.port, ops.port));
        ops.close();
        grpc.close();
        expect([r.code, r.stdout.trim()]).toEqual([1, "Kafka start phase not complete for channel(s): mychannel"]);
        docker.node({ states: [RUNNING], stdoutLog: "", tools: ["cat"] });
        r = await strict(kafkaReadiness(spec(), "kafka1", 9092));
        expect([r.code, r.stdout.trim()]).toEqual([1, "not registered in ZooKeeper yet"]);
    });

    it("goes straight to /healthz once it serves when the consensus logs no Kafka chains", async () => {
        const r = await askOrderer(200, "settings", { states: [RUNNING], stderrLog: "", tools });
        expect([r.code, r.answer]).toEqual([0, "healthz 200"]);
    });
});

describe("peer, CouchDB and chaincode server", () => {
    it("peer: ready on /healthz 200 (HTTP over bash, no curl or wget in the image), not on 503 or when nothing listens", async () => {
        let status = 503;
        const ops = await httpServer(() => status);
        docker.node({ states: [RUNNING], tools: ["bash"] });
        let r = await check(peerReadiness(spec(), "peer0.org1.example.com", ops.port));
        expect([r.code, r.stdout.trim()]).toEqual([1, "healthz: HTTP/1.1 503 Service Unavailable"]);
        status = 200;
        r = await check(peerReadiness(spec(), "peer0.org1.example.com", ops.port));
        ops.close();
        expect([r.code, r.stdout.trim()]).toEqual([0, "healthz 200"]);
        expect(ops.seen).toEqual(["/healthz", "/healthz"]);
        r = await check(peerReadiness(spec(), "peer0.org1.example.com", await closedPort()));
        expect(r.code).toBe(1);
        expect(r.stdout.trim()).toMatch(/^healthz: .*Connection refused/);
    });

    it("CouchDB: ready when the container's own credentials open _all_dbs; the step never holds them", async () => {
        const auth = `Basic ${Buffer.from("peer:s3cret").toString("base64")}`;
        const db = await httpServer((req) =>
            req.url === "/_all_dbs" && req.headers.authorization === auth ? 200 : 401,
        );
        const r0 = couchdbReadiness(spec(), "couchdb.peer0.org1.example.com", db.port);
        expect(r0.check).not.toContain("s3cret");
        docker.node({
            states: [RUNNING],
            env: { COUCHDB_USER: "peer", COUCHDB_PASSWORD: "s3cret" },
            tools: ["sh", "curl"],
        });
        let r = await check(r0);
        expect([r.code, r.stdout.trim()]).toEqual([0, "_all_dbs answered"]);
        docker.node({
            states: [RUNNING],
            env: { COUCHDB_USER: "peer", COUCHDB_PASSWORD: "wrong" },
            tools: ["sh", "curl"],
        });
        r = await check(r0);
        db.close();
        expect([r.code, r.stdout.trim()]).toEqual([1, "_all_dbs: curl: (22) The requested URL returned error: 401"]);
    });

    it("chaincode: ready when its peer can connect to it, asked inside the peer", async () => {
        const cc = await tcpServer();
        // "localhost" plays the chaincode container's name, which the peer resolves on the host's network.
        docker.node({ states: [RUNNING], tools: ["timeout", "bash"] });
        let r = await check(chaincodeReadiness(spec(), "localhost", "peer0.org1.example.com", cc.port));
        cc.close();
        expect([r.code, r.stdout.trim()]).toEqual([0, `peer0.org1.example.com connects to localhost:${cc.port}`]);
        expect(docker.execContainers()).toEqual(["peer0.org1.example.com"]);
        const port = await closedPort();
        r = await check(chaincodeReadiness(spec(), "localhost", "peer0.org1.example.com", port));
        expect([r.code, r.stdout.trim()]).toEqual([
            1,
            `peer0.org1.example.com cannot connect to localhost:${port} yet`,
        ]);
    });
});

describe("the readiness step", () => {
    const shells: Array<[string, readonly string[]]> = [
        ["sh", ["/bin/sh", "-c"]],
        ["bash --posix", [which("bash")!, "--posix", "-c"]],
    ];
    for (const [name, shell] of shells) {
        it(`polls until the node is ready, saying why it is not meanwhile (${name})`, async () => {
            const zk = await tcpServer(() => "Mode: follower\n");
            // Created, then restarting, then running: ready on the fourth check.
            docker.node({
                states: [`created ${STARTED}`, `restarting ${STARTED}`, `restarting ${STARTED}`, RUNNING],
                tools: ["bash"],
            });
            const r = await docker.run(
                readinessScript("zookeeper1", "zk-host", zookeeperReadiness(spec(), "zookeeper1", zk.port)),
                shell,
            );
            zk.close();
            expect(r.code, r.stderr).toBe(0);
            expect(r.stdout.trim().split("\n")).toEqual([
                "zookeeper1: not ready yet: container is created",
                "zookeeper1: not ready yet: container is restarting",
                "zookeeper1 on host zk-host ready (4 checks): Mode: follower",
            ]);
            // Three sleeps of READY_POLL_MS, not seconds.
            expect(r.seconds).toBeLessThan(3);
        });

        it(`keeps the last check's answer when the step runs under set -eu, as the migration's do (${name})`, async () => {
            // No bash in the container: the check's `docker exec` fails. Under set -e that failure must not end the
            // check before it says so.
            docker.node({ states: [RUNNING], tools: ["cat"] });
            const r = await docker.run(
                `set -eu\n(\n${readinessScript("peer0", "peer-host", peerReadiness(spec(1), "peer0", 9443))}\n)`,
                shell,
            );
            expect(r.code).toBe(1);
            expect(r.stderr.trim()).toMatch(
                /^peer0 on host peer-host not ready after 1 s \(\d+ checks\); last check: healthz: \S.*$/,
            );
        });

        it(`fails after the timeout naming the node, its host and the last check (${name})`, async () => {
            docker.node({ states: [`exited ${STARTED}`], tools: ["cat"] });
            const r = await docker.run(
                readinessScript("kafka2", "kafka2-host", kafkaReadiness(spec(1), "kafka2", 9092)),
                shell,
            );
            expect(r.code).toBe(1);
            expect(r.stderr.trim()).toMatch(
                /^kafka2 on host kafka2-host not ready after 1 s \(\d+ checks\); last check: container is exited$/,
            );
            // Never before the timeout; within a second and a poll after it.
            expect(r.seconds).toBeGreaterThanOrEqual(1);
            expect(r.seconds).toBeLessThan(4);
            // Polled several times within that second.
            expect(Number(/\((\d+) checks\)/.exec(r.stderr)![1])).toBeGreaterThanOrEqual(2);
        });
    }
});

// BusyBox: what apache/kafka (Alpine) has for `cat`, and what a host whose sh is BusyBox's runs the step with.
// Without it they are skipped (and reported so), except under CI, which installs it (.ci/run) and must run them.
const busybox = which("busybox");

describe.skipIf(!busybox && !process.env.CI)("with BusyBox", () => {
    beforeAll(() => {
        if (!busybox) throw new Error("busybox is not installed: .ci/run installs it with the toolchain's docker step");
    });

    it("Kafka's listener check with BusyBox's cat", async () => {
        const port = await tcpServer();
        docker.node({
            states: [RUNNING],
            stdoutLog:
                "INFO Registered broker 1 at path /brokers/ids/1 with addresses\nINFO [KafkaServer id=1] started (kafka.server.KafkaServer)\n",
            tools: ["cat"],
            busybox: true,
        });
        expect((await check(kafkaReadiness(spec(), "kafka1", port.port))).code).toBe(0);
        port.close();
        expect((await check(kafkaReadiness(spec(), "kafka1", await closedPort()))).code).toBe(1);
    });

    it("the step itself under BusyBox's sh (a host whose sh is BusyBox)", async () => {
        const zk = await tcpServer(() => "Mode: leader\n");
        docker.node({ states: [`created ${STARTED}`, RUNNING], tools: ["bash"] });
        const r = await docker.run(
            readinessScript("zookeeper1", "h1", zookeeperReadiness(spec(), "zookeeper1", zk.port)),
            [busybox!, "sh", "-c"],
        );
        zk.close();
        expect([r.code, r.stdout.trim().split("\n").pop()]).toEqual([
            0,
            "zookeeper1 on host h1 ready (2 checks): Mode: leader",
        ]);
    });
});
