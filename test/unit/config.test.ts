import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError, ConfigIssue, MIB, configPath, show, validateConfig } from "../../config";
import { Collector } from "../../config/validate/collector";
import { fromZodIssues } from "../../config/errors";
import { z } from "zod";
import {
    ROOT,
    SECRET,
    TEST_KEY_MARKER,
    clone,
    kafkaOf,
    raftRaw,
    rawStackConfig,
    stackSpec,
    testKey,
    withTestCredentials,
} from "../support/stacks";
import { BAD, BadCase, WARN } from "./badConfigs";

type Raw = Record<string, any>;

const base = (): Raw => clone(withTestCredentials(rawStackConfig("dev")));

describe("the committed stacks", () => {
    it("dev validates to the old runbook's topology", () => {
        const spec = stackSpec("dev");
        expect(spec.hosts).toHaveLength(13);
        expect(kafkaOf(spec).zookeepers.map((z) => z.name)).toEqual(["zookeeper1", "zookeeper2", "zookeeper3"]);
        expect(kafkaOf(spec).kafka.brokers.map((b) => b.name)).toEqual(["kafka1", "kafka2", "kafka3", "kafka4"]);
        expect(spec.orderers.map((o) => o.fqdn)).toEqual([
            "orderer0.example.com",
            "orderer1.example.com",
            "orderer2.example.com",
        ]);
        expect(spec.organizations.flatMap((o) => o.peers.map((p) => p.fqdn))).toEqual([
            "peer0.org1.example.com",
            "foo27.org5.example.com",
            "bar.org5.example.com",
        ]);
        expect(spec.warnings).toEqual([]);
    });

    it("resolves the documented Kafka defaults", () => {
        const k = kafkaOf(stackSpec("dev")).kafka;
        expect(k.replicationFactor).toBe(3);
        expect(k.minInsyncReplicas).toBe(2);
        expect(k.uncleanLeaderElection).toBe(false);
        expect(k.retentionMs).toBe(-1);
        // 10 MB AbsoluteMaxBytes + 1 MiB headroom, below the 100 MiB socket limit.
        expect(k.messageMaxBytes).toBe(11 * MIB);
        expect(k.replicaFetchMaxBytes).toBe(11 * MIB);
        expect(k.socketRequestMaxBytes).toBe(100 * MIB);
    });

    it("local puts every role on the one local host with distinct ports", () => {
        const spec = stackSpec("local");
        expect(spec.hosts.map((h) => h.kind)).toEqual(["local"]);
        // The official images, from the registry the toolchain fills with their mirrors: only the prefix differs.
        expect(spec.images.peer.ref).toBe("127.0.0.1:5000/hyperledger/fabric-peer:2.5.0");
        expect(spec.images.zookeeper.ref).toBe("127.0.0.1:5000/zookeeper:3.8.4");
        expect(spec.images.kafka.ref).toBe("127.0.0.1:5000/apache/kafka:3.9.1");
        expect(spec.tls).toBe(true);
    });

    it("drops every trailing slash of images.registry before it prefixes the image references", () => {
        const raw = base();
        raw.images = { ...raw.images, registry: "registry.example.com:5000/fabric//" };
        const spec = validateConfig(raw, SECRET);
        expect(spec.registry.prefix).toBe("registry.example.com:5000/fabric");
        expect(spec.images.peer.ref).toMatch(/^registry\.example\.com:5000\/fabric\/[a-z]/);
    });

    it("does not warn about a pinned known_hosts file checked strictly", () => {
        const raw = base();
        raw.ssh = { knownHostsFile: "~/.ssh/fabric_known_hosts", strictHostKeyChecking: "yes" };
        const spec = validateConfig(raw, SECRET);
        expect(spec.ssh).toEqual({ knownHostsFile: "~/.ssh/fabric_known_hosts", strictHostKeyChecking: "yes" });
        expect(spec.warnings).toEqual([]);
    });

    it("drops the trailing slash of a host's workdir", () => {
        const raw = base();
        raw.hosts[7].workdir = "/srv/fabric/";
        expect(validateConfig(raw, SECRET).hosts[7]!.workdir).toBe("/srv/fabric");
    });

    it("returns a frozen spec", () => {
        const spec = stackSpec("dev");
        expect(Object.isFrozen(spec)).toBe(true);
        expect(Object.isFrozen(kafkaOf(spec).kafka.brokers[0])).toBe(true);
    });

    it("warns about certificates 30 days ahead unless configured otherwise", () => {
        expect(stackSpec("dev").certificateExpiryWarningDays).toBe(30);
        const raw = base();
        raw.network.certificateExpiryWarningDays = 90;
        expect(validateConfig(raw, SECRET).certificateExpiryWarningDays).toBe(90);
    });

    it("gives nodes 300 s to become ready unless configured otherwise", () => {
        expect(stackSpec("dev").readyTimeoutSeconds).toBe(300);
        const raw = base();
        raw.network.readyTimeoutSeconds = 60;
        expect(validateConfig(raw, SECRET).readyTimeoutSeconds).toBe(60);
    });

    it("keeps credentials out of the spec", () => {
        expect(TEST_KEY_MARKER.length).toBeGreaterThan(20);
        expect(testKey("zookeeper1")).toContain(TEST_KEY_MARKER);
        expect(JSON.stringify(stackSpec("dev"))).not.toContain(TEST_KEY_MARKER);
    });
});

const STACK_BASE = {
    dev: base,
    local: () => clone(rawStackConfig("local")),
    raft: () => clone(withTestCredentials(raftRaw("dev"))),
};

function run(c: BadCase): ConfigIssue[] {
    const raw = STACK_BASE[c.base ?? "dev"]();
    c.mutate(raw);
    try {
        validateConfig(raw, { ...SECRET, ...c.secrets }, { foreignKeys: c.foreignKeys ?? [] });
    } catch (e) {
        if (e instanceof ConfigError) return [...e.issues];
        throw e;
    }
    return [];
}

/** Where in config/ each reported problem or warning was raised (file:line of the err/warn call). */
const reached = new Set<string>();
function callSite(): string {
    const prefix = `${ROOT}/config/`;
    for (const frame of new Error().stack!.split("\n")) {
        const at = frame.indexOf(prefix);
        if (at < 0) continue;
        const m = /^([^:]+):(\d+):\d+/.exec(frame.slice(at + ROOT.length + 1));
        if (m) return `${m[1]}:${m[2]}`;
    }
    return "(outside config/)";
}
beforeAll(() => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance's `this` below
    const { err, warn } = Collector.prototype;
    vi.spyOn(Collector.prototype, "err").mockImplementation(function (this: Collector, path, message) {
        reached.add(callSite());
        err.call(this, path, message);
    });
    vi.spyOn(Collector.prototype, "warn").mockImplementation(function (this: Collector, message) {
        reached.add(callSite());
        warn.call(this, message);
    });
});

describe("bad configuration", () => {
    it.each(BAD.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const issues = run(c);
        const hit = issues.find((i) => i.path === c.path);
        expect(hit, `no issue at ${c.path}; got ${JSON.stringify(issues, null, 1)}`).toBeDefined();
        if (typeof c.message === "string") expect(hit!.message).toBe(c.message);
        else expect(hit!.message).toMatch(c.message);
        if (c.count !== undefined) expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(c.count);
    });

    it.each(WARN.map((w) => [w.name, w] as const))("warns: %s", (_name, w) => {
        const raw = STACK_BASE[w.stack ?? "dev"]();
        w.mutate(raw);
        const spec = validateConfig(raw, SECRET);
        expect(spec.warnings).toContain(w.warning);
    });

    it("has at least 80 distinct cases, each at its own path and message", () => {
        const distinct = new Set(BAD.map((c) => c.path + String(c.message)));
        expect(distinct.size).toBe(BAD.length);
        expect(BAD.length).toBeGreaterThanOrEqual(80);
        console.log(`bad-config cases: ${BAD.length}, warning cases: ${WARN.length}`);
    });

    it("reaches every err and warn call in config/ (each message is pinned by some case)", () => {
        // Runs after the cases above (vitest keeps the order within a file).
        const sites: string[] = [];
        for (const dir of ["config", "config/validate"]) {
            for (const f of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith(".ts"))) {
                const file = `${dir}/${f}`;
                fs.readFileSync(path.join(ROOT, file), "utf8")
                    .split("\n")
                    .forEach((line, i) => {
                        if (/\bc\.(err|warn)\(/.test(line)) sites.push(`${file}:${i + 1}`);
                    });
            }
        }
        expect(sites.length).toBeGreaterThan(60);
        const missed = sites.filter((s) => !reached.has(s));
        expect(missed, `call sites no case reaches: ${missed.join(", ")}`).toEqual([]);
    });

    it("shows a found value by its kind, and a config path as the CLI writes it", () => {
        expect([undefined, "a", 7, false, null, [1, 2, 3], { a: 1 }].map(show)).toEqual([
            "nothing",
            '"a"',
            "7",
            "false",
            "null",
            "a list of 3",
            "an object",
        ]);
        expect(configPath(["hosts", 3, "address"])).toBe("fabric-kafka:hosts[3].address");
        expect(configPath([0, "x"])).toBe("fabric-kafka:[0].x");
    });

    it("words its error whole: the count (singular for one), then one line per problem", () => {
        const fail = (mutate: (raw: Raw) => void): ConfigError => {
            const raw = base();
            mutate(raw);
            try {
                validateConfig(raw, SECRET);
            } catch (e) {
                if (e instanceof ConfigError) return e;
                throw e;
            }
            throw new Error("validation passed");
        };
        const one = fail((raw) => (raw.network.readyTimeoutSeconds = 5));
        expect(one.name).toBe("ConfigError");
        expect(one.message).toBe(
            "The stack configuration has 1 problem; nothing was deployed.\n" +
                "  - fabric-kafka:network.readyTimeoutSeconds: found 5; allowed: at least 10",
        );
        const two = fail((raw) => {
            raw.network.readyTimeoutSeconds = 5;
            raw.network.certificateExpiryWarningDays = -1;
        });
        expect(two.message.split("\n")).toEqual([
            "The stack configuration has 2 problems; nothing was deployed.",
            "  - fabric-kafka:network.certificateExpiryWarningDays: found -1; allowed: at least 0",
            "  - fabric-kafka:network.readyTimeoutSeconds: found 5; allowed: at least 10",
        ]);
    });

    it("reports every problem at once, in one error that names them all", () => {
        const raw = base();
        raw.ordering.zookeeper.pop();
        raw.ordering.kafka.replicationFactor = 4;
        raw.organizations[1].domain = "org1.example.com";
        let err: unknown;
        try {
            validateConfig(raw, SECRET);
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        const msg = (err as ConfigError).message;
        expect(msg).toMatch(/^The stack configuration has 3 problems; nothing was deployed\./);
        expect(msg).toContain("fabric-kafka:ordering.zookeeper: has 2 nodes");
        expect(msg).toContain("fabric-kafka:ordering.kafka.replicationFactor: (4) must be less than");
        expect(msg).toContain("fabric-kafka:organizations[1].domain: duplicate domain");
    });
});

describe("schema problems in the operator's words", () => {
    const issues = (raw: Raw) => {
        try {
            validateConfig(raw, SECRET);
        } catch (e) {
            return (e as ConfigError).issues;
        }
        return [];
    };

    it("keeps a key that is set over a misspelt twin of it, and reports only the twin", () => {
        const raw = base();
        raw.ordering.kafka.replicationFactr = 99;
        expect(issues(raw)).toEqual([
            {
                path: "fabric-kafka:ordering.kafka.replicationFactr",
                message: expect.stringMatching(/^unknown key "replicationFactr"; did you mean "replicationFactor"\?/),
            },
        ]);
    });

    it("still reports a key of the wrong type when a misspelt twin of it is also there", () => {
        const raw = base();
        raw.hosts[0].address = 5;
        raw.hosts[0].adress = "192.0.2.50";
        expect(issues(raw)).toEqual([
            {
                path: "fabric-kafka:hosts[0].adress",
                message: expect.stringMatching(/^unknown key "adress"; did you mean "address"\?/),
            },
            { path: "fabric-kafka:hosts[0].address", message: "expected string, found 5" },
        ]);
    });

    it("offers no 'did you mean' for a value that is not text", () => {
        const raw = base();
        raw.chaincodes[0].lifecycle = 2;
        expect(issues(raw)).toEqual([
            { path: "fabric-kafka:chaincodes[0].lifecycle", message: 'found 2; allowed: "v2", "legacy"' },
        ]);
    });

    it("reads a problem's value as missing when its path leaves the configuration", () => {
        const schema = z.object({});
        const issue = (path: string[]) => ({ code: "invalid_type", expected: "string", path, message: "" }) as const;
        for (const raw of [{ a: null }, { a: 5 }, { a: "text" }, {}])
            expect(fromZodIssues(schema, raw, [issue(["a", "b", "c"])]), JSON.stringify(raw)).toEqual([
                { path: "fabric-kafka:a.b.c", message: "is required (expected string)" },
            ]);
    });
});
