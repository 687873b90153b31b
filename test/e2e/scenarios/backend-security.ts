/**
 * E2E phase: the ordering backend authenticates its clients (network.tls on). Every probe runs from an outsider:
 * a simulated host that runs no node of the network and is given no credentials, as someone who can reach the
 * hosts' ports would. With nothing, a Kafka client (kcat, Debian's) can neither list topics nor produce, over
 * plaintext or over TLS; a ZooKeeper client (ZooKeeper's own, from the toolchain's jars) cannot connect, over
 * plaintext or over TLS, `srvr` gets no answer, and the loopback-only plaintext port is not reachable. The
 * controls show the probes can succeed: with an orderer's certificate kcat lists the channel topics, and with a
 * broker's certificate the ZooKeeper client lists the registered brokers.
 *
 * Each phase takes the running stack's context; test/e2e/network.test.ts runs them on the dev topology
 * (13 hosts, plus a 14th as the outsider).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import { WORKDIR } from "../../../plan";
import { zookeeperLoopbackPort } from "../../../plan/ordering/kafka";
import { kafkaOf } from "../../support/stacks";
import { CACHE, RunningNetwork, SimHost, probeOnHost } from "../support/harness";

export interface BackendSecurityContext {
    /** The network under test. */
    readonly net: RunningNetwork;
    /** A simulated host with no role in the network and no credentials (e.g. a 14th host beside the dev 13). */
    readonly outsider: SimHost;
}

/** `address:port` of every broker as another host dials it (the host's address, the published port). */
function brokerEndpoints(ctx: BackendSecurityContext): { name: string; endpoint: string }[] {
    return kafkaOf(ctx.net.spec).kafka.brokers.map((b) => ({
        name: b.name,
        endpoint: `${ctx.net.host(b.host).address}:${b.port}`,
    }));
}

/** A scratch copy (owner-only) of files a probe is handed, so the probe never reads a host's workdir itself. */
function handOver(files: Record<string, string>): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-probe-"));
    const out: Record<string, string> = {};
    for (const [name, src] of Object.entries(files)) {
        out[name] = path.join(dir, name);
        fs.copyFileSync(src, out[name]);
        fs.chmodSync(out[name], 0o600);
    }
    return out;
}

/** Where the delivery put a file on a host (the simulated hosts share this machine's filesystem). */
const onDisk = (ctx: BackendSecurityContext, hostName: string, rel: string) =>
    path.join(ctx.net.workdir(hostName), rel);

/** The brokers' CA certificate, as an orderer holds it (public). */
function kafkaCa(ctx: BackendSecurityContext): string {
    const o = ctx.net.spec.orderers[0]!;
    return onDisk(ctx, o.host, `${WORKDIR.orderer(o)}/kafka/ca.pem`);
}

const kcat = (ctx: BackendSecurityContext, args: string[], timeoutMs = 60_000) =>
    probeOnHost(ctx.outsider, ["kcat", ...args], timeoutMs);

/** What every refused produce attempt sends: checked afterwards to be absent from the channel's topic. */
export const PROBE_MARKER = `fk-backend-probe-${process.pid}`;

/**
 * Metadata request and a produce attempt, each with the given client settings; both must fail. Every broker, and
 * both attempts, at once: a refused produce takes its whole 10 s message timeout, so one after another they took
 * over a minute of the e2e.
 */
async function kafkaRefuses(ctx: BackendSecurityContext, label: string, settings: string[]): Promise<string[]> {
    return Promise.all(
        brokerEndpoints(ctx).map(async (b) => {
            const [list, produce] = await Promise.all([
                kcat(ctx, ["-b", b.endpoint, "-L", "-m", "10", ...settings]),
                probeOnHost(
                    ctx.outsider,
                    [
                        "bash",
                        "-c",
                        'printf "%s\\n" "$0" | kcat "$@"',
                        PROBE_MARKER,
                        "-b",
                        b.endpoint,
                        "-P",
                        "-t",
                        ctx.net.spec.channels[0]!.name,
                        "-X",
                        "message.timeout.ms=10000",
                        ...settings,
                    ],
                    60_000,
                ),
            ]);
            expect(list.code, `${label}: kcat -L on ${b.name} succeeded:\n${list.output}`).not.toBe(0);
            // Refused by the broker, not by this client's own checks.
            expect(list.output).not.toMatch(/certificate verify failed|could not be verified/);
            expect(list.output).not.toMatch(/topics?:/);
            expect(produce.output, `${label}: kcat -P on ${b.name}:\n${produce.output}`).toMatch(
                /Delivery failed|ERROR|Failed/i,
            );
            const reason = (
                list.output.match(/.*(FAIL|ERROR).*/)?.[0] ??
                list.output.trim().split("\n").pop() ??
                ""
            ).trim();
            return `${b.name} (${b.endpoint}): ${reason}`;
        }),
    );
}

/** Plaintext Kafka clients get nothing: the only listener speaks TLS. */
export function kafkaRefusesPlaintextClients(ctx: BackendSecurityContext): Promise<string[]> {
    return kafkaRefuses(ctx, "plaintext", []);
}

/**
 * TLS clients that trust the brokers but present no certificate are refused in the handshake. The client checks the
 * brokers' certificates against their CA but not their names (it dials addresses no certificate names), so the
 * only reason left for a failure is the broker's demand for a client certificate.
 */
export function kafkaRefusesClientsWithoutCertificate(ctx: BackendSecurityContext): Promise<string[]> {
    const { ca } = handOver({ ca: kafkaCa(ctx) });
    return kafkaRefuses(ctx, "TLS without a certificate", [
        "-X",
        "security.protocol=ssl",
        "-X",
        `ssl.ca.location=${ca}`,
        "-X",
        "ssl.endpoint.identification.algorithm=none",
    ]);
}

/** kcat's TLS settings with an orderer's certificate (the identity the orderers use for Kafka). */
function asOrderer(ctx: BackendSecurityContext): string[] {
    const o = ctx.net.spec.orderers[0]!;
    const tls = (f: string) => onDisk(ctx, o.host, `${WORKDIR.orderer(o)}/tls/${f}`);
    const id = handOver({ ca: kafkaCa(ctx), cert: tls("server.crt"), key: tls("server.key") });
    // kcat bootstraps from a broker's address, which no certificate names: no host name check there; the brokers'
    // certificates are still checked against their CA.
    return [
        "-X",
        "security.protocol=ssl",
        "-X",
        `ssl.ca.location=${id.ca}`,
        "-X",
        `ssl.certificate.location=${id.cert}`,
        "-X",
        `ssl.key.location=${id.key}`,
        "-X",
        "ssl.endpoint.identification.algorithm=none",
    ];
}

/** With an orderer's TLS certificate, kcat lists the channel topics. */
export async function kafkaListsChannelTopicsWithOrdererCertificate(ctx: BackendSecurityContext): Promise<string> {
    const b = brokerEndpoints(ctx)[0]!;
    const list = await kcat(ctx, ["-b", b.endpoint, "-L", "-m", "30", ...asOrderer(ctx)]);
    expect(list.code, list.output).toBe(0);
    for (const topic of [ctx.net.spec.systemChannel, ...ctx.net.spec.channels.map((c) => c.name)]) {
        expect(list.output).toMatch(new RegExp(`topic "${topic}" with 1 partitions`));
    }
    return list.output;
}

/**
 * Runs kcat on the outsider with the brokers' names resolving to their hosts (as the orderers resolve them): a
 * consumer dials the partition's leader by the name the broker advertises. A private mount namespace gives the
 * probe its own /etc/hosts, so this machine's is never touched.
 */
function kcatResolvingBrokers(ctx: BackendSecurityContext, args: string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-probe-hosts-"));
    const hosts = path.join(dir, "hosts");
    const k = kafkaOf(ctx.net.spec);
    fs.writeFileSync(
        hosts,
        ["127.0.0.1 localhost", ...k.kafka.brokers.map((b) => `${ctx.net.host(b.host).address} ${b.name}`), ""].join(
            "\n",
        ),
    );
    return probeOnHost(
        ctx.outsider,
        ["unshare", "-m", "bash", "-c", 'mount --bind "$0" /etc/hosts && exec kcat "$@"', hosts, ...args],
        60_000,
    );
}

/** Read as an orderer: none of the refused produce attempts reached the channel's topic. */
export async function channelTopicHoldsNoProbe(ctx: BackendSecurityContext): Promise<number> {
    const b = brokerEndpoints(ctx)[0]!;
    const topic = ctx.net.spec.channels[0]!.name;
    const read = await kcatResolvingBrokers(ctx, [
        "-b",
        b.endpoint,
        "-C",
        "-t",
        topic,
        "-o",
        "beginning",
        "-e",
        "-f",
        "%o %S\\n",
        ...asOrderer(ctx),
    ]);
    expect(read.code, read.output).toBe(0);
    expect(read.output).not.toContain(PROBE_MARKER);
    return read.output.split("\n").filter((l) => /^\d+ \d+$/.test(l.trim())).length;
}

/** ZooKeeper's command-line client from the toolchain's jars, run in the outsider's namespace. */
function zkClient(ctx: BackendSecurityContext, endpoint: string, jvm: string[], command: string[], seconds = 40) {
    const libs = path.join(CACHE, "java", `zookeeper-${zookeeperVersion()}`, "libs", "*");
    // The client retries a refused connection forever: `timeout` bounds each attempt (40 s; 20 s for a probe
    // expected to get no session, where the bound is the result).
    return probeOnHost(
        ctx.outsider,
        [
            "timeout",
            String(seconds),
            "java",
            "-Dzookeeper.console.threshold=WARN",
            ...jvm,
            "-cp",
            libs,
            "org.apache.zookeeper.ZooKeeperMain",
            "-server",
            endpoint,
            ...command,
        ],
        90_000,
    );
}

function zookeeperVersion(): string {
    const env = fs.readFileSync(path.join(CACHE, "java", "versions.env"), "utf8");
    return /^ZOOKEEPER_VERSION=(.+)$/m.exec(env)![1]!;
}

/** TLS client settings of ZooKeeper's client; it dials an address no certificate names, so no host name check. */
const zkTls = (trust: string, keyStore?: string) => [
    "-Dzookeeper.client.secure=true",
    "-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty",
    "-Dzookeeper.ssl.hostnameVerification=false",
    `-Dzookeeper.ssl.trustStore.location=${trust}`,
    "-Dzookeeper.ssl.trustStore.type=PEM",
    ...(keyStore ? [`-Dzookeeper.ssl.keyStore.location=${keyStore}`, "-Dzookeeper.ssl.keyStore.type=PEM"] : []),
];

/**
 * No ZooKeeper client without a broker's certificate gets a session: not over plaintext, not over TLS; `srvr` on
 * the client port gets no answer; the plaintext loopback port is not reachable from another host. Control: with a
 * broker's certificate the same client lists the registered brokers.
 */
export async function zookeeperRefusesClientsWithoutCertificate(ctx: BackendSecurityContext): Promise<string[]> {
    const k = kafkaOf(ctx.net.spec);
    const broker = k.kafka.brokers[0]!;
    const secrets = (f: string) => onDisk(ctx, broker.host, `${WORKDIR.backendNode(broker.name)}/tls/${f}`);
    const id = handOver({ ca: secrets("zookeeper-ca.pem"), node: secrets("node.pem") });
    // The nodes at once: each refused client waits out its 20 s session timeout.
    return Promise.all(
        k.zookeepers.map(async (z) => {
            const address = ctx.net.host(z.host).address;
            const endpoint = `${address}:${z.clientPort}`;
            const ls = ["ls", "/brokers/ids"];
            const plain = await zkClient(ctx, endpoint, [], ls, 20);
            expect(plain.output, `plaintext client got a session on ${z.name}`).not.toMatch(/^\[[\d, ]*\]$/m);
            const anonymous = await zkClient(ctx, endpoint, zkTls(id.ca!), ls, 20);
            expect(anonymous.output, `TLS client without a certificate got a session on ${z.name}`).not.toMatch(
                /^\[[\d, ]*\]$/m,
            );
            const srvr = await probeOnHost(ctx.outsider, [
                "bash",
                "-c",
                'exec 3<>"/dev/tcp/$0/$1" && printf srvr >&3 && timeout 5 cat <&3',
                address,
                String(z.clientPort),
            ]);
            expect(srvr.output).not.toMatch(/Zookeeper version/);
            const loopback = zookeeperLoopbackPort(z);
            const reach = await probeOnHost(ctx.outsider, [
                "bash",
                "-c",
                'timeout 5 bash -c "exec 3<>/dev/tcp/$0/$1" 2>/dev/null && echo open || echo closed',
                address,
                String(loopback),
            ]);
            expect(reach.output.trim(), `${z.name}'s plaintext port ${loopback} from another host`).toMatch(/closed$/);
            const control = await zkClient(ctx, endpoint, zkTls(id.ca!, id.node), ls);
            expect(control.output, `a broker's certificate on ${z.name}:\n${control.output}`).toMatch(
                /^\[1, 2, 3, 4\]$/m,
            );
            const why = (o: string) =>
                (o.match(/.*(Exception|refused|closed|timed out|Unable|handshake).*/i)?.[0] ?? "no session").trim();
            return (
                `${z.name} (${endpoint}): plaintext: ${why(plain.output)}; TLS without certificate: ${why(anonymous.output)}; ` +
                `srvr: ${JSON.stringify(srvr.output.trim().slice(0, 80))}; port ${loopback}: ${reach.output.trim()}; ` +
                `broker's certificate: ${control.output.match(/^\[[\d, ]*\]$/m)?.[0]}`
            );
        }),
    );
}
