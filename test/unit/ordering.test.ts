/** The ordering variant interface (plan/ordering) for each consensus type, and the look-ups of plan/names. */
import { describe, expect, it } from "vitest";
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
import { stackSpec } from "../support/stacks";

const dev = stackSpec("dev");

describe("the kafka variant", () => {
    const plan = orderingPlan(dev);

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
        // Every broker waits for the whole ensemble; the orderers wait for every broker.
        for (const n of plan.nodeGroups[1]!.nodes)
            expect(n.step.after).toEqual(["zookeeper:zookeeper1", "zookeeper:zookeeper2", "zookeeper:zookeeper3"]);
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

describe("look-ups resolved once", () => {
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
