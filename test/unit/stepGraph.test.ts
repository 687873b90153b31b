/**
 * The step graph's first tiers and its ordering function, on plain data: the edges the components turn into
 * `dependsOn` (crypto → artifacts → delivery → CLIs), the last step of a chaincode's deployment per lifecycle,
 * and Kahn's order with its two refusals (an edge to a step that does not exist, a cycle).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import { chaincodeReadyStep, deliveryHosts, stepGraph, topologicalOrder } from "../../plan/steps";
import { Step } from "../../plan/types";
import { stackSpec } from "../support/stacks";

// Built in beforeEach, not at load time, so the mutation run can tell which test reaches which code.
let dev: NetworkSpec;
let steps: Step[];
beforeEach(() => {
    dev = stackSpec("dev");
    steps = stepGraph(dev);
});

const step = (id: string): Step => {
    const s = steps.find((x) => x.id === id);
    if (!s) throw new Error(`no step ${id}`);
    return s;
};

describe("the step graph's first tiers", () => {
    it("generates the artifacts after the crypto material; delivers after both where configtxgen output goes, else after the crypto alone", () => {
        expect(step("crypto").after).toEqual([]);
        expect(step("artifacts").after).toEqual(["crypto"]);
        const hosts = deliveryHosts(dev);
        // The dev topology: every host receives files (the backend's TLS keys included).
        expect(hosts).toHaveLength(13);
        const withArtifacts = hosts.filter((h) => step(`deliver:${h}`).after.includes("artifacts"));
        // Orderers get the genesis block, peers' CLIs the channel transactions; ZooKeeper and Kafka hosts neither.
        expect(withArtifacts.sort()).toEqual(
            [
                ...dev.orderers.map((o) => o.host),
                ...dev.organizations.flatMap((o) => o.peers.map((p) => p.host)),
            ].sort(),
        );
        for (const h of hosts)
            expect(step(`deliver:${h}`).after).toEqual(
                withArtifacts.includes(h) ? ["crypto", "artifacts"] : ["crypto"],
            );
        expect(hosts.filter((h) => !withArtifacts.includes(h)).sort()).toEqual([
            "kafka1",
            "kafka2",
            "kafka3",
            "kafka4",
            "zookeeper1",
            "zookeeper2",
            "zookeeper3",
        ]);
    });

    it("starts each CLI after its own host's delivery, and after nothing else", () => {
        const clis = steps.filter((s) => s.kind === "cli");
        expect(clis.length).toBe(dev.organizations.flatMap((o) => o.peers).length);
        for (const c of clis) expect(c.after).toEqual([`deliver:${c.host}`]);
    });
});

describe("a chaincode's last step", () => {
    it("is the instantiation for the legacy lifecycle and the init otherwise", () => {
        expect(chaincodeReadyStep({ name: "mycc", lifecycle: "legacy" })).toBe("cc-instantiate:mycc");
        expect(chaincodeReadyStep({ name: "mycc", lifecycle: "v2" })).toBe("cc-init:mycc");
    });
});

describe("topologicalOrder", () => {
    const s = (id: string, after: string[] = []): Step => ({ id, kind: "peer", host: null, after });

    it("puts every step after the steps it waits for, whatever the input order", () => {
        const order = topologicalOrder([s("c", ["b"]), s("b", ["a"]), s("a"), s("d", ["a", "c"])]).map((x) => x.id);
        expect(order).toEqual(["a", "b", "c", "d"]);
    });

    it("orders the whole dev graph so that every edge points backwards", () => {
        const order = topologicalOrder(steps);
        expect(order).toHaveLength(steps.length);
        const position = new Map(order.map((x, i) => [x.id, i]));
        for (const x of order) for (const a of x.after) expect(position.get(a)!).toBeLessThan(position.get(x.id)!);
    });

    it("refuses an edge to a step that does not exist, naming both", () => {
        expect(() => topologicalOrder([s("a"), s("b", ["a", "ghost"])])).toThrow(
            new Error("step b depends on unknown step ghost"),
        );
    });

    it("refuses a cycle", () => {
        expect(() => topologicalOrder([s("a", ["b"]), s("b", ["a"]), s("c")])).toThrow(
            new Error("the step graph has a cycle"),
        );
    });
});
