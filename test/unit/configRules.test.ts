/**
 * Validation rules and warnings that config.test.ts does not pin: each bad input gives one problem at its
 * config path whose message names the value and what is allowed; each warning is given, and only when due.
 * Messages are matched on their stable part (the value found and the rule), so rewording the advice around
 * them does not break the pin, dropping the rule does.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config";
import { backendHosts } from "../../config/validate/ordering";
import {
    SECRET,
    clone,
    issuesOf,
    kafkaOf,
    migrationSpec,
    raftSpec,
    rawStackConfig,
    stackSpec,
    withTestCredentials,
} from "../support/stacks";

type Raw = Record<string, any>;
const NS = "fabric-kafka:";
const base = (): Raw => clone(withTestCredentials(rawStackConfig("dev")));

interface Case {
    readonly name: string;
    readonly mutate: (raw: Raw) => void;
    readonly path: string;
    /** Every fragment must occur in the message at `path`. */
    readonly message: readonly string[];
}

const CASES: Case[] = [
    {
        name: "a ZooKeeper quorum port another role on the host already uses",
        mutate: (r) => {
            r.ordering.kafka.brokers[0].host = "zookeeper1";
            r.ordering.kafka.brokers[0].port = 2888;
        },
        path: `${NS}ordering.kafka.brokers[0].port`,
        message: ['port 2888 on host "zookeeper1"', "zookeeper1 quorum port"],
    },
    {
        name: "a ZooKeeper election port another role on the host already uses",
        mutate: (r) => {
            r.organizations[0].peers[0].host = "zookeeper2";
            r.organizations[0].peers[0].port = 3888;
        },
        path: `${NS}organizations[0].peers[0].port`,
        message: ['port 3888 on host "zookeeper2"', "zookeeper2 election port"],
    },
    {
        name: "a ZooKeeper node whose quorum port is its own client port",
        mutate: (r) => (r.ordering.zookeeper[0].quorumPort = 2181),
        path: `${NS}ordering.zookeeper[0].quorumPort`,
        message: ['port 2181 on host "zookeeper1"', "zookeeper1 client port"],
    },
    {
        name: "a ZooKeeper node whose election port is its own quorum port",
        mutate: (r) => (r.ordering.zookeeper[2].electionPort = 2888),
        path: `${NS}ordering.zookeeper[2].electionPort`,
        message: ['port 2888 on host "zookeeper3"', "zookeeper3 quorum port"],
    },
    {
        name: "replica fetch size above the message size",
        mutate: (r) => {
            r.ordering.kafka.messageMaxBytes = "12 MB";
            r.ordering.kafka.replicaFetchMaxBytes = "13 MB";
        },
        path: `${NS}ordering.kafka.replicaFetchMaxBytes`,
        message: ["(13631488) must not exceed messageMaxBytes (12582912)"],
    },
    {
        name: "two lifecycles on one channel",
        mutate: (r) =>
            r.chaincodes.push({ ...r.chaincodes[0], name: "other", lifecycle: "legacy", sequence: undefined }),
        path: `${NS}chaincodes`,
        message: ['channel "mychannel" mixes "v2" and "legacy" lifecycles', "one lifecycle per channel"],
    },
    {
        name: "chaincode name with a space",
        mutate: (r) => (r.chaincodes[0].name = "my cc"),
        path: `${NS}chaincodes[0].name`,
        message: ['found "my cc"', "allowed: letters and digits"],
    },
    {
        name: "endorsement policy naming an unknown role",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member','Org5MSP.boss')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: ['names unknown role "boss" for Org5MSP', "allowed: member, peer, admin, client, orderer"],
    },
    {
        name: "system channel name with upper case",
        mutate: (r) => (r.network.systemChannel = "SysChannel"),
        path: `${NS}network.systemChannel`,
        message: ['found "SysChannel"', "allowed: lower-case letters"],
    },
    {
        name: "the same channel twice",
        mutate: (r) => r.channels.push(clone(r.channels[0])),
        path: `${NS}channels[1].name`,
        message: ['duplicate channel "mychannel"'],
    },
    {
        name: "no orderer",
        mutate: (r) => (r.ordering.orderers = []),
        path: `${NS}ordering.orderers`,
        message: ["needs at least 1 orderer, found 0"],
    },
    {
        name: "orderer name with upper case",
        mutate: (r) => (r.ordering.orderers[1].name = "Orderer1"),
        path: `${NS}ordering.orderers[1].name`,
        message: ['found "Orderer1"', "allowed: lower-case letters, digits and '-'"],
    },
    {
        name: "the same orderer name twice",
        mutate: (r) => (r.ordering.orderers[2].name = "orderer0"),
        path: `${NS}ordering.orderers[2].name`,
        message: ['duplicate orderer name "orderer0"'],
    },
    {
        name: "orderer org domain that is no DNS domain",
        mutate: (r) => (r.network.ordererOrg = { domain: "Example_COM" }),
        path: `${NS}network.ordererOrg.domain`,
        message: ['found "Example_COM"', "allowed: a lower-case DNS domain"],
    },
    {
        name: "MSP id with a space",
        mutate: (r) => (r.organizations[0].mspId = "Org 1"),
        path: `${NS}organizations[0].mspId`,
        message: ['found "Org 1"'],
    },
    {
        name: "the same organisation name twice",
        mutate: (r) => (r.organizations[1].name = "Org1"),
        path: `${NS}organizations[1].name`,
        message: ['duplicate organisation name "Org1"'],
    },
    {
        name: "organisation domain that is no DNS domain",
        mutate: (r) => (r.organizations[0].domain = "org1..example.com"),
        path: `${NS}organizations[0].domain`,
        message: ['found "org1..example.com"', "allowed: a lower-case DNS domain"],
    },
    {
        name: "organisation without peers",
        mutate: (r) => {
            r.organizations[1].peers = [];
            r.organizations[1].anchorPeers = [];
        },
        path: `${NS}organizations[1].peers`,
        message: ["needs at least 1 peer, found 0"],
    },
    {
        name: "peer name with upper case",
        mutate: (r) => {
            r.organizations[1].peers[0].name = "Foo27";
            r.organizations[1].anchorPeers = ["bar"];
        },
        path: `${NS}organizations[1].peers[0].name`,
        message: ['found "Foo27"', "allowed: lower-case letters, digits and '-'"],
    },
    {
        name: "a channel without organisations",
        mutate: (r) => (r.channels[0].organizations = []),
        path: `${NS}channels[0].organizations`,
        message: ["is empty; allowed: at least one organisation", "cannot lose its last organisation"],
    },
    {
        name: "a negative user count",
        mutate: (r) => (r.organizations[0].users = -1),
        path: `${NS}organizations[0].users`,
        message: ["found -1; allowed: at least 0"],
    },
];

describe("validation rules pinned by their message", () => {
    it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const raw = base();
        c.mutate(raw);
        const issues = issuesOf(raw);
        const at = issues.filter((i) => i.path === c.path);
        expect(at, `no issue at ${c.path}; got ${JSON.stringify(issues, null, 1)}`).toHaveLength(1);
        for (const fragment of c.message) expect(at[0]!.message).toContain(fragment);
    });
});

describe("warnings", () => {
    const warningsOf = (mutate: (r: Raw) => void) => {
        const raw = base();
        mutate(raw);
        return validateConfig(raw, SECRET).warnings;
    };

    it("none for the committed dev stack", () => {
        expect(warningsOf(() => undefined)).toEqual([]);
    });

    it("a single ZooKeeper node is a single point of failure", () => {
        expect(
            warningsOf((r) => {
                r.ordering.zookeeper = [r.ordering.zookeeper[0]];
            }),
        ).toContain("ordering.zookeeper has 1 node: the ensemble is a single point of failure (3, 5 or 7 recommended)");
    });

    it("more than 7 ZooKeeper nodes add latency", () => {
        const w = warningsOf((r) => {
            r.ordering.zookeeper = Array.from({ length: 9 }, (_, i) => ({
                host: "zookeeper1",
                clientPort: 3000 + 3 * i,
                quorumPort: 3001 + 3 * i,
                electionPort: 3002 + 3 * i,
            }));
        });
        expect(w).toContain("ordering.zookeeper has 9 nodes: more than 7 adds latency without benefit");
        // 7 is still fine.
        expect(
            warningsOf((r) => {
                r.ordering.zookeeper = Array.from({ length: 7 }, (_, i) => ({
                    host: "zookeeper1",
                    clientPort: 3000 + 3 * i,
                    quorumPort: 3001 + 3 * i,
                    electionPort: 3002 + 3 * i,
                }));
            }).filter((x) => x.startsWith("ordering.zookeeper")),
        ).toEqual([]);
    });

    it("min in-sync replicas below 2 with a replication factor of 3", () => {
        expect(
            warningsOf((r) => {
                r.ordering.kafka.replicationFactor = 3;
                r.ordering.kafka.minInsyncReplicas = 1;
            }),
        ).toEqual(["ordering.kafka replicationFactor 3 / minInsyncReplicas 1: the recommended minimum is 3 / 2"]);
    });

    it("a replication factor or min in-sync replicas below 3 / 2", () => {
        expect(
            warningsOf((r) => {
                r.ordering.kafka.replicationFactor = 2;
                r.ordering.kafka.minInsyncReplicas = 1;
            }),
        ).toEqual(["ordering.kafka replicationFactor 2 / minInsyncReplicas 1: the recommended minimum is 3 / 2"]);
    });

    it("unclean leader election", () => {
        expect(warningsOf((r) => (r.ordering.kafka.uncleanLeaderElection = true))).toEqual([
            "ordering.kafka.uncleanLeaderElection is on: a broker outside the ISR may become leader and rewrite the chain",
        ]);
        expect(warningsOf((r) => (r.ordering.kafka.uncleanLeaderElection = false))).toEqual([]);
    });

    it("none for a default credential that ssh hosts use", () => {
        expect(
            warningsOf((r) => {
                r.defaultCredential = r.credentials.kafka1;
                delete r.credentials;
            }),
        ).toEqual([]);
    });

    it("a host that runs no role", () => {
        expect(
            warningsOf((r) => {
                r.hosts.push({ name: "spare", address: "192.0.2.99" });
                r.credentials.spare = r.credentials.kafka1;
            }),
        ).toEqual(["host spare runs no role"]);
    });
});

describe("credentials", () => {
    it("a stack without credentials validates when the engine marks none of them secret (absent keys are not)", () => {
        const raw = clone(rawStackConfig("local"));
        expect(raw.credentials ?? raw.defaultCredential ?? raw.registryAuth).toBeUndefined();
        const none = { credentials: false, registryAuth: false, defaultCredential: false };
        expect(validateConfig(raw, none).hosts.map((h) => h.name)).toEqual(["local"]);
    });

    it("gives every ssh host without an entry of its own the default key, and the others their own", () => {
        const raw = base();
        raw.defaultCredential = raw.credentials.kafka1;
        raw.credentials = { kafka2: raw.credentials.kafka2 };
        const spec = validateConfig(raw, SECRET);
        expect(spec.hosts.length).toBe(13);
        for (const h of spec.hosts) expect([h.name, h.credential]).toEqual([h.name, "privateKey"]);
    });
});

/**
 * The other side of each limit: the largest (or smallest) value a rule allows validates. Without these, a rule
 * that moved its bound by one (`>` for `>=`) would still pass the bad-value cases above and in badConfigs.ts.
 */
describe("values at the edge of a rule are accepted", () => {
    const EDGES: ReadonlyArray<readonly [string, (r: Raw) => void]> = [
        [
            "blocks of exactly 99 MB, with broker limits above them",
            (r) => {
                r.ordering.batchSize.absoluteMaxBytes = "99 MB";
                r.ordering.kafka.messageMaxBytes = "100 MB";
                r.ordering.kafka.replicaFetchMaxBytes = "100 MB";
                r.ordering.kafka.socketRequestMaxBytes = "101 MB";
            },
        ],
        [
            "a preferred batch size equal to the absolute maximum",
            (r) => (r.ordering.batchSize.preferredMaxBytes = "10 MB"),
        ],
        ["4294967295 messages per batch", (r) => (r.ordering.batchSize.maxMessageCount = 4294967295)],
        ["a socket request limit of 2147483647 bytes", (r) => (r.ordering.kafka.socketRequestMaxBytes = 2147483647)],
        ["a ZooKeeper session of exactly two ticks", (r) => (r.ordering.kafka.zookeeperSessionTimeoutMs = 4000)],
        ["a ZooKeeper session of exactly twenty ticks", (r) => (r.ordering.kafka.zookeeperSessionTimeoutMs = 40000)],
        [
            "Kafka protocol version 0.8.2, the oldest Fabric accepts",
            (r) => (r.ordering.kafka.protocolVersion = "0.8.2"),
        ],
        ["Kafka protocol version 0.10.2.0", (r) => (r.ordering.kafka.protocolVersion = "0.10.2.0")],
        [
            "a Kafka protocol version with a four-digit first number",
            (r) => (r.ordering.kafka.protocolVersion = "1000.0.0"),
        ],
    ];
    it.each(EDGES)("%s", (_name, mutate) => {
        const raw = base();
        mutate(raw);
        expect(issuesOf(raw)).toEqual([]);
    });
});

describe("the Kafka backend's nodes", () => {
    it("are numbered from 1 in the order the config lists them", () => {
        const k = kafkaOf(stackSpec("dev"));
        expect(k.zookeepers.map((z) => [z.id, z.name])).toEqual([
            [1, "zookeeper1"],
            [2, "zookeeper2"],
            [3, "zookeeper3"],
        ]);
        expect(k.kafka.brokers.map((b) => [b.id, b.name])).toEqual([
            [1, "kafka1"],
            [2, "kafka2"],
            [3, "kafka3"],
            [4, "kafka4"],
        ]);
    });

    it("run on the backend hosts: Kafka's own, a migrating network's old ones, none for Raft alone", () => {
        const kafkaHosts = ["zookeeper1", "zookeeper2", "zookeeper3", "kafka1", "kafka2", "kafka3", "kafka4"];
        expect(backendHosts(stackSpec("dev").ordering)).toEqual(kafkaHosts);
        expect(backendHosts(migrationSpec().ordering)).toEqual(kafkaHosts);
        expect(backendHosts(raftSpec().ordering)).toEqual([]);
        // A migrating network still keeps the backend's data there: those hosts run a role.
        expect(migrationSpec().warnings.filter((w) => w.includes("runs no role"))).toEqual([]);
    });
});

describe("chaincodes", () => {
    /** An Org5 domain of `n` characters, so its peer foo27's name is n + 6 long. */
    const org5Domain = (r: Raw, n: number) => {
        const domain = `${"o".repeat(n - ".example.com".length)}.example.com`;
        r.organizations[1].domain = domain;
        return domain;
    };

    it("takes an explicit sequence on a v2 chaincode", () => {
        const raw = base();
        raw.chaincodes[0].sequence = 3;
        const spec = validateConfig(raw, SECRET);
        expect(spec.chaincodes[0]).toMatchObject({ lifecycle: "v2", sequence: 3 });
    });

    it("measures the chaincode server's host name on the channel's longest peer name, wherever it is listed", () => {
        for (const order of [
            ["Org1", "Org5"],
            ["Org5", "Org1"],
        ]) {
            const raw = base();
            raw.channels[0].organizations = order;
            const domain = org5Domain(raw, 54);
            expect(issuesOf(raw), order.join()).toEqual([
                {
                    path: `${NS}chaincodes[0].name`,
                    message: `makes the chaincode server's host name "mycc.foo27.${domain}" 65 characters long; allowed: at most 64 (Linux's limit), so shorten the name or the domain`,
                },
            ]);
        }
    });

    it("measures it only on the peers of the chaincode's channel", () => {
        const raw = base();
        org5Domain(raw, 54);
        raw.channels[0].organizations = ["Org1"];
        raw.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member')";
        raw.chaincodes[0].sequence = 2;
        expect(issuesOf(raw)).toEqual([]);
    });

    it("lists every channel when the chaincode's is unknown", () => {
        const raw = base();
        raw.channels.push({ name: "other", organizations: ["Org1"] });
        raw.chaincodes[0].channel = "neither";
        expect(issuesOf(raw)).toEqual([
            { path: `${NS}chaincodes[0].channel`, message: 'unknown channel "neither"; allowed: mychannel, other' },
        ]);
    });

    it("runs the legacy lifecycle on Fabric 1.4 unless told otherwise, and says 1.4 cannot run it", () => {
        const raw = base();
        raw.network.fabricVersion = "1.4";
        delete raw.chaincodes[0].lifecycle;
        const hit = issuesOf(raw).find((i) => i.path === `${NS}chaincodes[0].lifecycle`);
        expect(hit?.message).toMatch(/^chaincode on Fabric 1\.4 needs the peer to build it through a Docker socket/);
    });

    it("asks a legacy chaincode leaving an org behind for a new version, not a sequence", () => {
        const raw = base();
        raw.chaincodes[0].lifecycle = "legacy";
        raw.channels[0].organizations = ["Org1"];
        expect(issuesOf(raw)).toEqual([
            {
                path: `${NS}chaincodes[0].endorsementPolicy`,
                message:
                    'names unknown MSP "Org5MSP"; did you mean "Org1MSP"? allowed: Org1MSP. To take an organisation out of channel "mychannel", change this policy so it no longer names it and give chaincodes[0].version a new version in the same change',
            },
        ]);
    });
});
