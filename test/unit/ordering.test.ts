/** The ordering variant interface (plan/ordering) for each consensus type, and the look-ups of plan/names. */
import { beforeEach, describe, expect, it } from "vitest";
import {
    buildPlan,
    channelLeadPeer,
    channelPeers,
    endorsingPeer,
    ordererContainer,
    orderingNodes,
    orderingPlan,
    orgByName,
    stepGraph,
} from "../../plan";
import * as yaml from "js-yaml";
import { NetworkSpec } from "../../config";
import { kafkaOf, raftSpec, stackSpec } from "../support/stacks";

// Built in beforeEach, not at load time, so the mutation run can tell which test reaches which code.
let dev: NetworkSpec;
let raft: NetworkSpec;
beforeEach(() => {
    dev = stackSpec("dev");
    raft = raftSpec("dev");
});

describe("the kafka variant", () => {
    let plan: ReturnType<typeof orderingPlan>;
    beforeEach(() => {
        plan = orderingPlan(dev);
    });

    it("supplies the consensus part of configtx: OrdererType and the broker list", () => {
        expect(plan.configtx).toEqual({
            OrdererType: "kafka",
            Kafka: { Brokers: ["kafka1:9092", "kafka2:9092", "kafka3:9092", "kafka4:9092"] },
        });
        expect(plan.genesisProfile).toBe("KafkaOrdererGenesis");
    });

    it("runs a ZooKeeper ensemble, then a Kafka cluster, as two components", () => {
        expect(plan.nodeGroups.map((g) => [g.name, g.component, g.nodes.length])).toEqual([
            ["zookeeper", "ZookeeperEnsemble", 3],
            ["kafka", "KafkaCluster", 4],
        ]);
        expect(plan.nodeGroups[0]!.outputs).toEqual({
            connectString: "zookeeper1:2181,zookeeper2:2181,zookeeper3:2181",
        });
        // Every broker waits for the whole ensemble and its own files; the orderers wait for every broker.
        for (const n of plan.nodeGroups[1]!.nodes)
            expect(n.step.after).toEqual([
                "zookeeper:zookeeper1",
                "zookeeper:zookeeper2",
                "zookeeper:zookeeper3",
                `deliver:${n.container.host}`,
            ]);
        // With TLS a ZooKeeper server waits for its key and trust stores.
        for (const n of plan.nodeGroups[0]!.nodes) expect(n.step.after).toEqual([`deliver:${n.container.host}`]);
        expect(plan.ordererAfter).toEqual(["kafka:kafka1", "kafka:kafka2", "kafka:kafka3", "kafka:kafka4"]);
    });

    it("its nodes and edges are what the step graph and the containers use", () => {
        const steps = stepGraph(dev);
        for (const n of orderingNodes(dev)) expect(steps).toContainEqual(n.step);
        const orderer0 = steps.find((s) => s.id === "orderer:orderer0.example.com")!;
        expect(orderer0.after).toEqual([...plan.ordererAfter, "deliver:orderer0"]);
        const names = [...buildPlan(dev).containers.values()].flat().map((c) => c.name);
        for (const n of orderingNodes(dev)) expect(names).toContain(n.container.name);
    });

    it("adds its settings to the orderer's environment and its brokers to the orderer's names", () => {
        const c = ordererContainer(dev, dev.orderers[0]!);
        expect(c.env).toMatchObject(plan.ordererEnv(dev.orderers[0]!));
        expect(Object.keys(plan.ordererEnv(dev.orderers[0]!)).every((k) => k.startsWith("ORDERER_KAFKA_"))).toBe(true);
        for (const b of plan.ordererContacts(dev.orderers[0]!))
            expect(c.extraHosts.map((e) => e.host)).toContain(b.name);
    });
});

describe("the etcdraft variant", () => {
    let plan: ReturnType<typeof orderingPlan>;
    beforeEach(() => {
        plan = orderingPlan(raft);
    });

    it("renders configtx.yaml as its snapshot", () => {
        expect(buildPlan(raft).configtxYaml).toMatchSnapshot();
    });

    it("names every orderer as a consenter, by fqdn, port and its TLS server certificate", () => {
        const doc = yaml.load(buildPlan(raft).configtxYaml) as any;
        const orderer = doc.Profiles.RaftOrdererGenesis.Orderer;
        expect(orderer.OrdererType).toBe("etcdraft");
        expect(orderer.Kafka).toBeUndefined();
        expect(orderer.EtcdRaft.Consenters).toEqual(
            raft.orderers.map((o) => {
                const cert = `crypto-config/ordererOrganizations/example.com/orderers/${o.fqdn}/tls/server.crt`;
                return { Host: o.fqdn, Port: 7050, ClientTLSCert: cert, ServerTLSCert: cert };
            }),
        );
        expect(orderer.EtcdRaft.Options).toEqual({
            TickInterval: "500ms",
            ElectionTick: 10,
            HeartbeatTick: 1,
            MaxInflightBlocks: 5,
            SnapshotIntervalSize: 16 * 1024 * 1024,
        });
    });

    it("gives the orderer its cluster settings from its own TLS pair, and no Kafka settings", () => {
        const c = ordererContainer(raft, raft.orderers[1]!);
        expect(c.env).toMatchObject({
            ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: "/var/hyperledger/orderer/tls/server.crt",
            ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: "/var/hyperledger/orderer/tls/server.key",
            ORDERER_GENERAL_CLUSTER_ROOTCAS: "[/var/hyperledger/orderer/tls/ca.crt]",
            ORDERER_CONSENSUS_WALDIR: "/var/hyperledger/production/orderer/etcdraft/wal",
            ORDERER_CONSENSUS_SNAPDIR: "/var/hyperledger/production/orderer/etcdraft/snapshot",
            // Still bootstrapped from a system-channel genesis block, as a migrated network is.
            ORDERER_GENERAL_BOOTSTRAPMETHOD: "file",
            ORDERER_GENERAL_TLS_ENABLED: "true",
        });
        expect(Object.keys(c.env).filter((k) => k.startsWith("ORDERER_KAFKA_"))).toEqual([]);
        // The Raft log lives in the ledger volume, so whatever keeps the ledger keeps it.
        expect(c.volumes.map((v) => v.containerPath)).toEqual(["/var/hyperledger/production/orderer"]);
        expect(c.extraHosts.map((e) => e.host)).toEqual(["orderer0.example.com", "orderer2.example.com"]);
    });

    it("runs no other nodes, and the orderers wait only for their own files", () => {
        expect(plan.nodeGroups).toEqual([]);
        const roles = [...buildPlan(raft).containers.values()].flat().map((c) => c.role);
        expect(roles.filter((r) => r === "zookeeper" || r === "kafka")).toEqual([]);
        const steps = stepGraph(raft);
        expect(steps.some((s) => s.kind === "zookeeper" || s.kind === "kafka")).toBe(false);
        for (const o of raft.orderers) {
            expect(steps.find((s) => s.id === `orderer:${o.fqdn}`)!.after).toEqual([`deliver:${o.host}`]);
        }
    });
});

describe("look-ups resolved once", () => {
    it("the Kafka spec of the dev stack is what the kafka variant reads", () => {
        expect(kafkaOf(dev).zookeepers).toHaveLength(3);
    });

    it("finds the channel's lead peer, members and endorsers", () => {
        expect(channelLeadPeer(dev, "mychannel").fqdn).toBe("peer0.org1.example.com");
        expect(channelPeers(dev, dev.channels[0]!).map((p) => p.fqdn)).toEqual([
            "peer0.org1.example.com",
            "foo27.org5.example.com",
            "bar.org5.example.com",
        ]);
        // Org5's anchor is bar, not its first peer.
        expect(endorsingPeer(orgByName(dev, "Org5")).fqdn).toBe("bar.org5.example.com");
    });

    it("fails loudly on a name the spec does not hold", () => {
        expect(() => orgByName(dev, "Org9")).toThrow("internal: org Org9 not in spec");
    });
});
