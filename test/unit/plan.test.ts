import * as yaml from "js-yaml";
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import {
    artifactFilesFor,
    buildPlan,
    ccInstallScript,
    channelCreateScript,
    channelJoinScript,
    configtx,
    ordererContainer,
    packageId,
    peerContainer,
} from "../../plan";
import { kafkaServerProperties, zooServers, zookeeperContainer } from "../../plan/ordering/kafka";
import { FileCopy } from "../../plan/types";
import { kafkaOf, stackSpec } from "../support/stacks";
import { expectInOrder } from "../support/text";
import { delivered, forbiddenKeys, generatedTree, isPrivateKey, missingFromTree } from "../support/crypto";

// Built in beforeEach, not at load time: code run while the file loads is attributed to no test, and the
// mutation run (npm run test:mutation) would then have to run every test against each such mutant.
let dev: NetworkSpec;
let local: NetworkSpec;
beforeEach(() => {
    dev = stackSpec("dev");
    local = stackSpec("local");
});

describe("rendered Fabric configuration", () => {
    for (const name of ["dev", "local"] as const) {
        it(`configtx.yaml for ${name} matches its snapshot`, () => {
            expect(buildPlan(stackSpec(name)).configtxYaml).toMatchSnapshot();
        });
        it(`crypto-config.yaml for ${name} matches its snapshot`, () => {
            expect(buildPlan(stackSpec(name)).cryptoConfigYaml).toMatchSnapshot();
        });
    }

    it("orders with kafka, lists the 4 brokers and the 3 orderers", () => {
        const doc = yaml.load(buildPlan(dev).configtxYaml) as any;
        const orderer = doc.Profiles.KafkaOrdererGenesis.Orderer;
        expect(orderer.OrdererType).toBe("kafka");
        expect(orderer.Kafka.Brokers).toEqual(["kafka1:9092", "kafka2:9092", "kafka3:9092", "kafka4:9092"]);
        expect(orderer.Addresses).toEqual([
            "orderer0.example.com:7050",
            "orderer1.example.com:7050",
            "orderer2.example.com:7050",
        ]);
        expect(orderer.BatchSize.AbsoluteMaxBytes).toBe(10 * 1024 * 1024);
        const orgs = doc.Profiles.KafkaOrdererGenesis.Consortiums.SampleConsortium.Organizations.map((o: any) => o.ID);
        expect(orgs).toEqual(["Org1MSP", "Org5MSP"]);
        expect(doc.Profiles["Channel-mychannel"].Application.Capabilities).toEqual({ V2_5: true });
    });

    it("enables NodeOUs for every org, the old runbook's Org5 included", () => {
        const doc = yaml.load(buildPlan(dev).cryptoConfigYaml) as any;
        expect(doc.OrdererOrgs[0].EnableNodeOUs).toBe(true);
        expect(doc.PeerOrgs.map((o: any) => [o.Name, o.EnableNodeOUs])).toEqual([
            ["Org1", true],
            ["Org5", true],
        ]);
        expect(doc.PeerOrgs[1].Specs).toEqual([{ Hostname: "foo27" }, { Hostname: "bar" }]);
    });

    it("sets Org5's anchor peer to bar", () => {
        const org5 = (configtx(dev) as any).Organizations.find((o: any) => o.ID === "Org5MSP");
        expect(org5.AnchorPeers).toEqual([{ Host: "bar.org5.example.com", Port: 7051 }]);
    });
});

describe("container specs", () => {
    it("ZooKeeper binds its own quorum entry on 0.0.0.0 and resolves only the others", () => {
        // With TLS its plaintext client listener is on the container's loopback only, below the client port.
        expect(zooServers(dev, kafkaOf(dev), kafkaOf(dev).zookeepers[1]!)).toBe(
            "server.1=zookeeper1:2888:3888 server.2=0.0.0.0:2888:3888;127.0.0.1:2180 server.3=zookeeper3:2888:3888",
        );
        expect(zooServers({ ...dev, tls: false }, kafkaOf(dev), kafkaOf(dev).zookeepers[0]!)).toBe(
            "server.1=0.0.0.0:2888:3888;0.0.0.0:2181 server.2=zookeeper2:2888:3888 server.3=zookeeper3:2888:3888",
        );
        const c = zookeeperContainer(dev, kafkaOf(dev), kafkaOf(dev).zookeepers[1]!);
        expect(c.extraHosts).toEqual([
            { host: "zookeeper1", ip: "192.0.2.11" },
            { host: "zookeeper3", ip: "192.0.2.13" },
        ]);
        expect(c.volumes.map((v) => v.containerPath)).toEqual(["/data", "/datalog"]);
    });

    it("Kafka advertises its own name and gets the documented settings", () => {
        const props = kafkaServerProperties({ ...dev, tls: false }, kafkaOf(dev), kafkaOf(dev).kafka.brokers[1]!);
        const kv = Object.fromEntries(
            props
                .split("\n")
                .filter((l) => l && !l.startsWith("#"))
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        expect(kv).toEqual({
            "broker.id": "2",
            "zookeeper.connect": "zookeeper1:2181,zookeeper2:2181,zookeeper3:2181",
            "zookeeper.session.timeout.ms": "6000",
            "zookeeper.connection.timeout.ms": "30000",
            listeners: "PLAINTEXT://0.0.0.0:9092",
            "advertised.listeners": "PLAINTEXT://kafka2:9092",
            "log.dirs": "/var/lib/kafka/data",
            "default.replication.factor": "3",
            "min.insync.replicas": "2",
            "unclean.leader.election.enable": "false",
            "log.retention.ms": "-1",
            "message.max.bytes": "11534336",
            "replica.fetch.max.bytes": "11534336",
            "socket.request.max.bytes": "104857600",
        });
    });

    it("orderers run TLS, bootstrap from the genesis file and resolve every broker", () => {
        const c = ordererContainer(dev, dev.orderers[0]!);
        expect(c.env).toMatchObject({
            ORDERER_GENERAL_TLS_ENABLED: "true",
            ORDERER_GENERAL_BOOTSTRAPMETHOD: "file",
            ORDERER_KAFKA_VERSION: "1.0.0",
            ORDERER_GENERAL_TLS_ROOTCAS: "[/var/hyperledger/orderer/tls/ca.crt]",
        });
        expect(c.extraHosts.map((e) => e.host)).toEqual([
            "kafka1",
            "kafka2",
            "kafka3",
            "kafka4",
            "orderer1.example.com",
            "orderer2.example.com",
        ]);
        expect(
            c.binds.every(
                (b) => b.readOnly && b.hostPath.startsWith("/var/lib/fabric-kafka/orderers/orderer0.example.com/"),
            ),
        ).toBe(true);
    });

    it("an Org5 peer resolves the orderers, its org's peers and Org1's anchor peer (runbook defect 7)", () => {
        const foo27 = dev.organizations[1]!.peers[0]!;
        const c = peerContainer(dev, foo27);
        expect(c.extraHosts.map((e) => e.host)).toEqual([
            "bar.org5.example.com",
            "orderer0.example.com",
            "orderer1.example.com",
            "orderer2.example.com",
            "peer0.org1.example.com",
        ]);
        expect(c.env.CORE_PEER_GOSSIP_EXTERNALENDPOINT).toBe("foo27.org5.example.com:7051");
        expect(c.env.CORE_PEER_GOSSIP_BOOTSTRAP).toBe("bar.org5.example.com:7051");
        expect(c.env.CORE_PEER_TLS_ENABLED).toBe("true");
        expect(c.env.CORE_VM_ENDPOINT).toBe("");
    });

    it("on the local stack, ports bind to loopback and no extra_hosts are needed", () => {
        const c = ordererContainer(local, local.orderers[1]!);
        expect(c.ports).toEqual([{ internal: 8050, external: 8050, ip: "127.0.0.1" }]);
        expect(c.extraHosts).toEqual([]);
        expect(c.env.ORDERER_GENERAL_LISTENPORT).toBe("8050");
    });
});

describe("least privilege", () => {
    const hosts = () => dev.hosts.map((h) => h.name);
    const files = (h: string) => [...(buildPlan(dev).files.get(h) ?? [])];
    /** The generated paths a file is made of (one, or several concatenated). */
    const sources = (f: FileCopy): readonly string[] => (typeof f.from === "string" ? [f.from] : f.from);

    it("lists the exact file set of each dev host", () => {
        const table = Object.fromEntries(
            hosts().map((h) => [h, files(h).map((f) => `${sources(f).join(" + ")} -> ${f.to}`)]),
        );
        expect(table).toMatchSnapshot();
    });

    // Judged on the files the manifest actually selects from cryptogen's tree, not on FileCopy.secret.
    const received = (h: string) => delivered(files(h), generatedTree(dev)).map((f) => f.from);
    const keys = (h: string) => received(h).filter(isPrivateKey);

    it("selects only files that cryptogen and configtxgen produce", () => {
        for (const h of hosts()) expect(missingFromTree(files(h), generatedTree(dev)), h).toEqual([]);
    });

    it("gives a ZooKeeper or Kafka host its own node's TLS key and the CA certificates it trusts, no other key", () => {
        for (const h of ["zookeeper1", "zookeeper2", "zookeeper3", "kafka1", "kafka2", "kafka3", "kafka4"]) {
            const domain = `${h.startsWith("kafka") ? "kafka" : "zookeeper"}.ordering.example.com`;
            const own = `crypto-config/ordererOrganizations/${domain}/orderers/${h}.${domain}/tls`;
            expect(forbiddenKeys(dev, h, received(h)), h).toEqual([]);
            expect(keys(h), h).toEqual([`${own}/server.key`]);
            for (const f of received(h).filter((x) => !isPrivateKey(x))) {
                expect(
                    f === `${own}/server.crt` || /\/tlsca\/tlsca\.[^/]+-cert\.pem$/.test(f),
                    `${h} receives ${f}`,
                ).toBe(true);
            }
            // Their images run as a non-root user: every file they get is opened to it.
            expect(files(h).every((f) => f.containerReadable)).toBe(true);
        }
    });

    it("never gives an orderer host any peer org's file, nor a key other than its own orderer's", () => {
        for (const h of ["orderer0", "orderer1", "orderer2"]) {
            expect(received(h).filter((f) => f.includes("peerOrganizations"))).toEqual([]);
            expect(forbiddenKeys(dev, h, received(h)), h).toEqual([]);
            // Its own signing and TLS keys, and nothing else.
            expect(keys(h).sort(), h).toEqual(
                [
                    `crypto-config/ordererOrganizations/example.com/orderers/${h}.example.com/msp/keystore/priv_sk`,
                    `crypto-config/ordererOrganizations/example.com/orderers/${h}.example.com/tls/server.key`,
                ].sort(),
            );
        }
    });

    it("gives a peer host its own node's keys and its own org's admin, no other key", () => {
        for (const org of dev.organizations) {
            for (const p of org.peers) {
                expect(forbiddenKeys(dev, p.host, received(p.host)), p.host).toEqual([]);
                const base = `crypto-config/peerOrganizations/${org.domain}`;
                expect(keys(p.host).sort(), p.host).toEqual(
                    [
                        `${base}/peers/${p.fqdn}/msp/keystore/priv_sk`,
                        `${base}/peers/${p.fqdn}/tls/server.key`,
                        `${base}/users/Admin@${org.domain}/msp/keystore/priv_sk`,
                    ].sort(),
                );
                // Public TLS CA certificates of the orderer org and every peer org, for the CLI.
                const cas = received(p.host).filter((f) => /\/tlsca\/tlsca\.[^/]+-cert\.pem$/.test(f));
                expect(cas.sort()).toEqual(
                    [
                        "crypto-config/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem",
                        ...dev.organizations.map(
                            (o) => `crypto-config/peerOrganizations/${o.domain}/tlsca/tlsca.${o.domain}-cert.pem`,
                        ),
                    ].sort(),
                );
            }
        }
    });

    it("gives a peer host the artifacts of its own org's channels only", () => {
        // A second channel of Org1 alone: Org5's hosts must not receive its transactions.
        const two = { ...dev, channels: [...dev.channels, { name: "org1only", organizations: ["Org1"] }] };
        const names = (h: string) => artifactFilesFor(two, h).map((f) => f.from);
        expect(names("peer0-org1")).toEqual(
            expect.arrayContaining(["artifacts/org1only.tx", "artifacts/org1only-Org1MSP-anchors.tx"]),
        );
        for (const h of ["foo27-org5", "bar-org5"]) {
            expect(
                names(h).filter((f) => f.includes("org1only")),
                h,
            ).toEqual([]);
            expect(names(h), h).toContain("artifacts/mychannel.tx");
        }
    });

    it("judges keys by owner: another org's admin, a plain user, a CA or another node is refused", () => {
        const peerHost = dev.organizations[0]!.peers[0]!.host;
        const refused = [
            "crypto-config/peerOrganizations/org5.example.com/users/Admin@org5.example.com/msp/keystore/priv_sk",
            "crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/keystore/priv_sk",
            "crypto-config/peerOrganizations/org1.example.com/ca/priv_sk",
            "crypto-config/peerOrganizations/org1.example.com/tlsca/priv_sk",
            "crypto-config/ordererOrganizations/example.com/users/Admin@example.com/tls/client.key",
            "crypto-config/peerOrganizations/org5.example.com/peers/bar.org5.example.com/tls/server.key",
            "crypto-config/ordererOrganizations/example.com/orderers/orderer0.example.com/msp/keystore/priv_sk",
        ];
        const allowed = [
            "crypto-config/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp/keystore/priv_sk",
            "crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.key",
            "crypto-config/peerOrganizations/org5.example.com/peers/bar.org5.example.com/tls/server.crt",
        ];
        expect(forbiddenKeys(dev, peerHost, [...refused, ...allowed])).toEqual(refused);
    });
});

describe("step scripts are idempotent", () => {
    let ch: NetworkSpec["channels"][number];
    let peer0: NetworkSpec["organizations"][number]["peers"][number];
    beforeEach(() => {
        ch = dev.channels[0]!;
        peer0 = dev.organizations[0]!.peers[0]!;
    });
    it("channel create fetches the block when the channel already exists", () => {
        const s = channelCreateScript(dev, ch);
        expect(s).toContain(
            "if peer channel fetch 0 '/work/blocks/mychannel.block' -c 'mychannel' -o 'orderer0.example.com:7050' --tls",
        );
        expectInOrder(s, "peer channel fetch 0", "peer channel create");
    });
    it("join skips a peer that already joined", () => {
        expect(channelJoinScript(dev, ch, peer0)).toMatch(/peer channel list .*grep -qxF -- 'mychannel'/);
    });
    it("join always fetches the channel's block from the orderer, never trusts a file already there", () => {
        const s = channelJoinScript(dev, ch, peer0);
        expect(s).not.toContain("[ -s");
        expect(s).toContain("retry peer channel fetch 0 '/work/blocks/mychannel.block' -c 'mychannel'");
        expectInOrder(s, "peer channel fetch 0", "peer channel join");
    });
    it("install checks the installed package id first", () => {
        const cc = dev.chaincodes[0]!;
        expect(ccInstallScript(cc, peer0)).toContain(`Package ID: ${packageId(cc)},`);
    });
    it("the package id is reproducible", () => {
        const cc = dev.chaincodes[0]!;
        expect(packageId(cc)).toBe(packageId({ ...cc }));
        expect(packageId(cc)).toMatch(/^mycc_1\.0:[0-9a-f]{64}$/);
        expect(packageId({ ...cc, version: "1.1" })).not.toBe(packageId(cc));
    });
});
