import { describe, expect, it } from "vitest";
import { ConfigError, MIB, validateConfig } from "../../config";
import { SECRET, clone, issuesOf, kafkaOf, rawStackConfig, stackSpec, withTestCredentials } from "../support/stacks";

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
        expect(spec.images.peer.ref).toBe("127.0.0.1:5000/fabrickafka/fabric-peer:2.5.0");
        expect(spec.tls).toBe(true);
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
        expect(JSON.stringify(stackSpec("dev"))).not.toContain("test-key-for");
    });
});

interface BadCase {
    readonly name: string;
    readonly mutate: (raw: Raw) => void;
    readonly secrets?: { credentials: boolean; registryAuth: boolean };
    readonly path: string;
    readonly message: string | RegExp;
}

const NS = "fabric-kafka:";

const BAD: BadCase[] = [
    {
        name: "negative certificate expiry warning window",
        mutate: (r) => (r.network.certificateExpiryWarningDays = -1),
        path: `${NS}network.certificateExpiryWarningDays`,
        message: "found -1; allowed: at least 0",
    },
    {
        name: "readiness timeout too short to start a JVM",
        mutate: (r) => (r.network.readyTimeoutSeconds = 5),
        path: `${NS}network.readyTimeoutSeconds`,
        message: "found 5; allowed: at least 10",
    },
    {
        name: "fractional readiness timeout",
        mutate: (r) => (r.network.readyTimeoutSeconds = 30.5),
        path: `${NS}network.readyTimeoutSeconds`,
        message: /found 30\.5/,
    },
    {
        name: "duplicate host name",
        mutate: (r) => (r.hosts[1].name = "zookeeper1"),
        path: `${NS}hosts[1].name`,
        message: 'duplicate host name "zookeeper1", already used by hosts[0]',
    },
    {
        name: "duplicate host address",
        mutate: (r) => (r.hosts[2].address = "192.0.2.11"),
        path: `${NS}hosts[2].address`,
        message: 'duplicate address "192.0.2.11", already used by hosts[0] (zookeeper1)',
    },
    {
        name: "malformed IPv4 address",
        mutate: (r) => (r.hosts[3].address = "192.0.2.300"),
        path: `${NS}hosts[3].address`,
        message: 'found "192.0.2.300"; allowed: an IPv4 address (e.g. 192.0.2.11) or a DNS name',
    },
    {
        name: "address that is no DNS name",
        mutate: (r) => (r.hosts[4].address = "kafka 2!"),
        path: `${NS}hosts[4].address`,
        message: 'found "kafka 2!"',
    },
    {
        name: "invalid host name",
        mutate: (r) => {
            r.hosts[0].name = "Zoo_1";
            r.ordering.zookeeper[0].host = "Zoo_1";
            r.credentials.Zoo_1 = r.credentials.zookeeper1;
            delete r.credentials.zookeeper1;
        },
        path: `${NS}hosts[0].name`,
        message: "allowed: lower-case letters, digits and '-', 1-63 characters",
    },
    {
        name: "unknown host referenced by a broker",
        mutate: (r) => (r.ordering.kafka.brokers[2].host = "kafka9"),
        path: `${NS}ordering.kafka.brokers[2].host`,
        message: /^unknown host "kafka9"; allowed: zookeeper1, zookeeper2, .*bar-org5$/,
    },
    {
        name: "unknown host referenced by a peer",
        mutate: (r) => (r.organizations[1].peers[0].host = "nowhere"),
        path: `${NS}organizations[1].peers[0].host`,
        message: 'unknown host "nowhere"',
    },
    {
        name: "even ZooKeeper count",
        mutate: (r) => r.ordering.zookeeper.pop(),
        path: `${NS}ordering.zookeeper`,
        message: "has 2 nodes; allowed: an odd number (3, 5 or 7) so the ensemble keeps a majority",
    },
    {
        name: "zero ZooKeeper nodes",
        mutate: (r) => (r.ordering.zookeeper = []),
        path: `${NS}ordering.zookeeper`,
        message: "has 0 nodes; allowed: an odd number",
    },
    {
        name: "replication factor equal to the broker count",
        mutate: (r) => (r.ordering.kafka.replicationFactor = 4),
        path: `${NS}ordering.kafka.replicationFactor`,
        message:
            "(4) must be less than the broker count (4), so that channel creation survives one broker down; allowed: 1..3",
    },
    {
        name: "min in-sync replicas equal to the replication factor",
        mutate: (r) => (r.ordering.kafka.minInsyncReplicas = 3),
        path: `${NS}ordering.kafka.minInsyncReplicas`,
        message: "(3) must be less than the replication factor (3); allowed: 1..2",
    },
    {
        name: "Kafka message limit not above the block size",
        mutate: (r) => (r.ordering.kafka.messageMaxBytes = "10 MB"),
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message:
            "(10485760) must be above batchSize.absoluteMaxBytes (10485760) by at least 1 MiB for record headers; allowed: 11534336 or more",
    },
    {
        name: "the old runbook's 99 MB blocks with 103809024-byte broker limits",
        mutate: (r) => {
            r.ordering.batchSize.absoluteMaxBytes = "99 MB";
            r.ordering.kafka.messageMaxBytes = 103809024;
            r.ordering.kafka.replicaFetchMaxBytes = 103809024;
        },
        path: `${NS}ordering.kafka.replicaFetchMaxBytes`,
        message:
            "(103809024) must be at least batchSize.absoluteMaxBytes + 1 MiB (104857600) or blocks cannot replicate",
    },
    {
        name: "message limit not below the socket request limit",
        mutate: (r) => {
            r.ordering.kafka.messageMaxBytes = "100 MB";
            r.ordering.kafka.replicaFetchMaxBytes = "20 MB";
        },
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message: "(104857600) must be less than socketRequestMaxBytes (104857600)",
    },
    {
        name: "unreadable size",
        mutate: (r) => (r.ordering.batchSize.absoluteMaxBytes = "ten megs"),
        path: `${NS}ordering.batchSize.absoluteMaxBytes`,
        message: 'found "ten megs"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "time-based Kafka retention",
        mutate: (r) => (r.ordering.kafka.retentionMs = 604800000),
        path: `${NS}ordering.kafka.retentionMs`,
        message: "found 604800000; allowed: -1",
    },
    {
        name: "duplicate MSP id",
        mutate: (r) => (r.organizations[1].mspId = "Org1MSP"),
        path: `${NS}organizations[1].mspId`,
        message: 'duplicate MSP id "Org1MSP", already used by fabric-kafka:organizations[0].mspId',
    },
    {
        name: "peer org reusing the orderer MSP id",
        mutate: (r) => (r.organizations[0].mspId = "OrdererMSP"),
        path: `${NS}organizations[0].mspId`,
        message: 'duplicate MSP id "OrdererMSP", already used by fabric-kafka:network.ordererOrg.mspId',
    },
    {
        name: "two roles needing the same port on one host",
        mutate: (r) => {
            r.ordering.kafka.brokers[0].host = "zookeeper1";
            r.ordering.kafka.brokers[0].port = 2181;
        },
        path: `${NS}ordering.kafka.brokers[0].port`,
        message:
            'port 2181 on host "zookeeper1" is already used by zookeeper1 client port (fabric-kafka:ordering.zookeeper[0].clientPort); give one of them another port',
    },
    {
        name: "two peers on one host with default ports",
        mutate: (r) => (r.organizations[1].peers[1].host = "foo27-org5"),
        path: `${NS}organizations[1].peers[1].port`,
        message: 'port 7051 on host "foo27-org5" is already used by foo27.org5.example.com',
    },
    {
        name: "channel naming an unknown org",
        mutate: (r) => r.channels[0].organizations.push("Org9"),
        path: `${NS}channels[0].organizations[2]`,
        message: 'unknown organisation "Org9"; allowed: Org1, Org5',
    },
    {
        name: "channel named like the system channel",
        mutate: (r) => (r.channels[0].name = "system-channel"),
        path: `${NS}channels[0].name`,
        message: '"system-channel" is the system channel\'s name',
    },
    {
        name: "upper-case channel name",
        mutate: (r) => (r.channels[0].name = "MyChannel"),
        path: `${NS}channels[0].name`,
        message: 'found "MyChannel"; allowed: lower-case letters',
    },
    {
        name: "endorsement policy naming an unknown MSP",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member','Org7MSP.member')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: 'names unknown MSP "Org7MSP"; allowed: Org1MSP, Org5MSP',
    },
    {
        name: "endorsement policy that does not parse",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "Org1MSP.member"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: "allowed: a signature policy such as OR('Org1MSP.member','Org5MSP.member')",
    },
    {
        name: "chaincode on an unknown channel",
        mutate: (r) => (r.chaincodes[0].channel = "otherchannel"),
        path: `${NS}chaincodes[0].channel`,
        message: 'unknown channel "otherchannel"; allowed: mychannel',
    },
    {
        name: "new lifecycle on Fabric 1.4",
        mutate: (r) => (r.network.fabricVersion = "1.4"),
        path: `${NS}chaincodes[0].lifecycle`,
        message: '"v2" needs Fabric 2.x, but network.fabricVersion is "1.4"; allowed: "legacy"',
    },
    {
        name: "legacy chaincode on Fabric 1.4 (no external builder there)",
        mutate: (r) => {
            r.network.fabricVersion = "1.4";
            r.chaincodes[0].lifecycle = "legacy";
        },
        path: `${NS}chaincodes[0].lifecycle`,
        message:
            'chaincode on Fabric 1.4 needs the peer to build it through a Docker socket, which this program never mounts; allowed: network.fabricVersion "2.5" with lifecycle "legacy" (a V1_4_2 channel) or "v2"',
    },
    {
        name: "sequence on a legacy chaincode",
        mutate: (r) => {
            r.chaincodes[0].lifecycle = "legacy";
            r.chaincodes[0].sequence = 2;
        },
        path: `${NS}chaincodes[0].sequence`,
        message:
            'found 2, but the "legacy" lifecycle has no sequence: a new version alone upgrades it; allowed: no sequence (or lifecycle "v2")',
    },
    {
        name: "credential given in plaintext",
        mutate: () => undefined,
        secrets: { credentials: false, registryAuth: true },
        path: `${NS}credentials`,
        message:
            "holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. pulumi config set --secret --path 'credentials.zookeeper1.privateKey' -- \"$(cat ~/.ssh/id_ed25519)\"",
    },
    {
        name: "missing credential",
        mutate: (r) => delete r.credentials.kafka3,
        path: `${NS}credentials.kafka3`,
        message:
            'host "kafka3" (hosts[5]) has no credential; set its SSH private key as a secret: pulumi config set --secret --path \'credentials.kafka3.privateKey\' -- "$(cat ~/.ssh/id_ed25519)"',
    },
    {
        name: "both a key and a password",
        mutate: (r) => (r.credentials.kafka1.password = "x"),
        path: `${NS}credentials.kafka1`,
        message: "has both privateKey and password; allowed: exactly one",
    },
    {
        name: "password credential (Docker over SSH cannot answer a password prompt)",
        mutate: (r) => (r.credentials.kafka1 = { password: "s3cret-value" }),
        path: `${NS}credentials.kafka1`,
        message: 'is a password; the Docker connection to host "kafka1" needs key authentication.',
    },
    {
        name: "two local hosts",
        mutate: (r) => {
            r.hosts[0].kind = "local";
            r.hosts[1].kind = "local";
        },
        path: `${NS}hosts[1].kind`,
        message: '"zookeeper2" is a second local host (the first is "zookeeper1"); allowed: one local host',
    },
    {
        name: "credential for a host that does not exist",
        mutate: (r) => (r.credentials.kafka7 = { privateKey: "k" }),
        path: `${NS}credentials.kafka7`,
        message: "names no host; allowed: zookeeper1",
    },
    {
        name: "unknown image key",
        mutate: (r) => (r.images = { ordererr: "x/y:1" }),
        path: `${NS}images`,
        message:
            'unknown key "ordererr"; allowed: registry, zookeeper, kafka, orderer, peer, tools, chaincode, couchdb',
    },
    {
        name: "image without a pinned tag",
        mutate: (r) => (r.images = { peer: "hyperledger/fabric-peer" }),
        path: `${NS}images.peer`,
        message: 'found "hyperledger/fabric-peer"; allowed: a reference with a pinned tag',
    },
    {
        name: "image on latest",
        mutate: (r) => (r.images = { kafka: "hyperledger/fabric-kafka:latest" }),
        path: `${NS}images.kafka`,
        message: '(untagged or "latest" floats)',
    },
    {
        name: "registry credentials in plaintext",
        mutate: (r) => (r.registryAuth = { username: "u", password: "p" }),
        secrets: { credentials: true, registryAuth: false },
        path: `${NS}registryAuth`,
        message: "holds the registry password in plaintext",
    },
    {
        name: "misspelt key",
        mutate: (r) => (r.hosts[0].adress = r.hosts[0].address),
        path: `${NS}hosts[0]`,
        message: 'unknown key "adress"; allowed: name, address, kind, sshPort, user, workdir',
    },
    {
        name: "unknown ordering type",
        mutate: (r) => (r.ordering.type = "solo"),
        path: `${NS}ordering.type`,
        message: 'found "solo"; allowed: "kafka", "etcdraft"',
    },
    {
        name: "SSH port out of range",
        mutate: (r) => (r.hosts[0].sshPort = 70000),
        path: `${NS}hosts[0].sshPort`,
        message: "found 70000; allowed: at most 65535",
    },
    {
        name: "port given as text",
        mutate: (r) => (r.ordering.orderers[0].port = "7050"),
        path: `${NS}ordering.orderers[0].port`,
        message: 'expected number, found "7050"',
    },
    {
        name: "missing organisations",
        mutate: (r) => delete r.organizations,
        path: `${NS}organizations`,
        message: "is required (expected array)",
    },
    {
        name: "anchor peer that is not a peer of the org",
        mutate: (r) => (r.organizations[1].anchorPeers = ["baz"]),
        path: `${NS}organizations[1].anchorPeers[0]`,
        message: 'unknown peer "baz"; allowed: foo27, bar',
    },
    {
        name: "duplicate peer name in an org",
        mutate: (r) => {
            r.organizations[1].peers[1].name = "foo27";
            r.organizations[1].anchorPeers = ["foo27"];
        },
        path: `${NS}organizations[1].peers[1].name`,
        message: 'duplicate peer name "foo27" in organisation Org5',
    },
    {
        name: "batch timeout without a unit",
        mutate: (r) => (r.ordering.batchTimeout = "2"),
        path: `${NS}ordering.batchTimeout`,
        message: 'found "2"; allowed: a duration such as "2s", "500ms" or "1m"',
    },
    {
        name: "preferred batch size above the absolute maximum",
        mutate: (r) => (r.ordering.batchSize.preferredMaxBytes = "20 MB"),
        path: `${NS}ordering.batchSize.preferredMaxBytes`,
        message: "(20971520 bytes) must not exceed absoluteMaxBytes (10485760 bytes)",
    },
    {
        name: "relative workdir",
        mutate: (r) => (r.hosts[7].workdir = "fabric"),
        path: `${NS}hosts[7].workdir`,
        message: 'found "fabric"; allowed: an absolute path',
    },
];

describe("bad configuration", () => {
    it.each(BAD.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const raw = base();
        c.mutate(raw);
        const issues = issuesOf(raw, c.secrets);
        const hit = issues.find((i) => i.path === c.path);
        expect(hit, `no issue at ${c.path}; got ${JSON.stringify(issues, null, 1)}`).toBeDefined();
        if (typeof c.message === "string") expect(hit!.message).toContain(c.message);
        else expect(hit!.message).toMatch(c.message);
    });

    it("has at least 25 distinct cases", () => {
        expect(new Set(BAD.map((c) => c.path + String(c.message))).size).toBeGreaterThanOrEqual(25);
        console.log(`bad-config cases: ${BAD.length}`);
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

    it("warns, without failing, on fewer than 4 brokers", () => {
        const raw = base();
        raw.ordering.kafka.brokers.pop();
        raw.ordering.kafka.replicationFactor = 2;
        raw.ordering.kafka.minInsyncReplicas = 1;
        const spec = validateConfig(raw, SECRET);
        expect(spec.warnings).toContain(
            "ordering.kafka.brokers has 3 brokers: Fabric recommends at least 4 so one broker can fail while channels stay writable",
        );
    });
});
