/** The topology diagram: built from the same container specs as the deployment, as Mermaid and as SVG. */
import { describe, expect, it } from "vitest";
import { buildPlan, mermaidDiagram, topology } from "../../plan";
import { topologySvg } from "../../scripts/lib/diagramSvg";
import { diagramConfig } from "../../scripts/diagram";
import { SECRET, raftSpec, stackSpec } from "../support/stacks";
import { validateConfig } from "../../config";

const dev = stackSpec("dev");
const local = stackSpec("local");

describe("the topology diagram", () => {
    it("places every container the plan deploys on its host, once", () => {
        for (const spec of [dev, local]) {
            const plan = buildPlan(spec);
            const planned = [
                ...[...plan.containers.values()].flat().map((c) => `${c.host}/${c.name}`),
                ...plan.chaincodeContainers.map((c) => `${c.host}/${c.name}`),
            ].sort();
            const drawn = topology(spec)
                .hosts.flatMap((h) => h.nodes.map((n) => `${h.name}/${n.name}`))
                .sort();
            expect(drawn).toEqual(planned);
        }
    });

    it("links only containers it draws: Kafka to ZooKeeper, orderers to brokers, peers to orderers and chaincode", () => {
        const t = topology(dev);
        const names = new Set(t.hosts.flatMap((h) => h.nodes.map((n) => n.name)));
        for (const l of t.links) {
            expect(names.has(l.from), l.from).toBe(true);
            expect(names.has(l.to), l.to).toBe(true);
        }
        const count = (kind: string) => t.links.filter((l) => l.kind === kind).length;
        expect(count("consensus")).toBe(4 * 3);
        expect(count("orders")).toBe(3 * 4);
        expect(count("blocks")).toBe(3 * 3);
        expect(count("chaincode")).toBe(3);
        // Org1's peer gossips with Org5's anchor (bar), and Org5's peers with Org1's (peer0).
        expect(t.links.filter((l) => l.kind === "gossip").map((l) => `${l.from}>${l.to}`)).toEqual([
            "peer0.org1.example.com>bar.org5.example.com",
            "foo27.org5.example.com>peer0.org1.example.com",
            "bar.org5.example.com>peer0.org1.example.com",
        ]);
    });

    it("has no consensus nodes or links for a Raft network", () => {
        const t = topology(raftSpec("dev"));
        expect(t.links.filter((l) => l.kind === "consensus" || l.kind === "orders")).toEqual([]);
        expect(t.hosts.flatMap((h) => h.nodes).filter((n) => n.role === "zookeeper" || n.role === "kafka")).toEqual([]);
    });

    it("renders Mermaid that matches its snapshots (dev and local)", () => {
        expect(mermaidDiagram(topology(dev))).toMatchSnapshot();
        expect(mermaidDiagram(topology(local))).toMatchSnapshot();
    });

    it("draws every host and container in the SVG", () => {
        const svg = topologySvg(topology(dev), "dev");
        for (const h of dev.hosts) expect(svg).toContain(`${h.name} (${h.address})`);
        expect(svg.match(/<path /g)).toHaveLength(topology(dev).links.length);
    });

    it("reads a stack's committed settings without its credentials", () => {
        const spec = validateConfig(diagramConfig("dev"), SECRET);
        expect(spec.hosts).toHaveLength(13);
    });
});
