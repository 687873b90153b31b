/** The operator-side tooling's pure parts: benchmark statistics, the up timeline, the local stack's settings. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { percentile, resultTable, summarize } from "../../scripts/lib/stats";
import {
    GraphNode,
    RecordedEvent,
    buildTimeline,
    graphFromState,
    timelineReport,
    timelineSvg,
} from "../../scripts/lib/timeline";
import { ROOT, prepareSettings } from "../../scripts/lib/workspace";

describe("benchmark statistics", () => {
    it("takes nearest-rank percentiles", () => {
        const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
        expect(percentile(xs, 50)).toBe(50);
        expect(percentile(xs, 95)).toBe(95);
        expect(percentile(xs, 99)).toBe(99);
        expect(percentile([7], 99)).toBe(7);
        expect(percentile([], 50)).toBeNaN();
    });

    it("counts throughput from committed transactions only, and groups failures by message", () => {
        const r = summarize(10, [100, 200, 300, 400], ["MVCC_READ_CONFLICT", "timeout", "timeout"], 2);
        expect(r).toMatchObject({ attempted: 7, succeeded: 4, failed: 3, tps: 2, p50: 200, max: 400 });
        expect(r.failures).toEqual({ MVCC_READ_CONFLICT: 1, timeout: 2 });
        expect(resultTable([r]).split("\n")[1]).toMatch(/^\s+10\s+7\s+4\s+3\s+2\.0\s+2\.0\s+200\s+400\s+400\s+400$/);
    });
});

const urn = (name: string, type = "docker:index/container:Container") => `urn:pulumi:s::fabric-kafka::${type}::${name}`;

/** a (0–2 s) → b (2–5 s) → d (6–7 s); c (0–1 s) → d; the update runs 0–8 s. */
function sample(): { events: RecordedEvent[]; graph: GraphNode[] } {
    const t = (s: number) => 1_000_000 + s * 1000;
    const span = (name: string, start: number, end: number): RecordedEvent[] => [
        { at: t(start), kind: "pre", urn: urn(name), type: "docker:index/container:Container", op: "create" },
        { at: t(end), kind: "outputs", urn: urn(name), type: "docker:index/container:Container", op: "create" },
    ];
    const events = [
        { at: t(0), kind: "prelude" } as RecordedEvent,
        ...span("a", 0, 2),
        ...span("c", 0, 1),
        ...span("b", 2, 5),
        ...span("d", 6, 7),
        {
            at: t(0),
            kind: "pre",
            urn: urn("comp", "fabric:x:Comp"),
            type: "fabric:x:Comp",
            op: "create",
        } as RecordedEvent,
        { at: t(8), kind: "summary" } as RecordedEvent,
    ];
    const node = (name: string, deps: string[], custom = true): GraphNode => ({
        urn: urn(name, custom ? "docker:index/container:Container" : "fabric:x:Comp"),
        type: custom ? "docker:index/container:Container" : "fabric:x:Comp",
        custom,
        dependencies: deps.map((d) => urn(d)),
    });
    return {
        events,
        graph: [node("a", []), node("b", ["a"]), node("c", []), node("d", ["b", "c"]), node("comp", [], false)],
    };
}

describe("the timeline of an up", () => {
    it("finds the critical path, the ratio and what the last resource waited for", () => {
        const { events, graph } = sample();
        const tl = buildTimeline(events, graph);
        expect(tl.spans.map((s) => s.name)).toEqual(["c", "a", "b", "d"]);
        expect(tl.criticalPath.map((s) => s.name)).toEqual(["a", "b", "d"]);
        expect(tl.criticalLength).toBe(6);
        expect(tl.total).toBe(8);
        expect(tl.ratio).toBeCloseTo(8 / 6);
        expect(tl.observedChain.map((l) => [l.span.name, l.wait])).toEqual([
            ["a", 0],
            ["b", 0],
            ["d", 1],
        ]);
        expect(timelineReport(tl)).toContain("critical path 6.0 s, ratio 1.33");
    });

    it("draws one bar per resource and outlines the critical path", () => {
        const { events, graph } = sample();
        const svg = timelineSvg(buildTimeline(events, graph), "test");
        expect(svg.match(/<rect x=/g)).toHaveLength(4);
        expect(svg.match(/stroke="#d50000"/g)).toHaveLength(3);
    });

    it("reads dependencies, property dependencies and the provider from the state", () => {
        const g = graphFromState({
            resources: [
                {
                    urn: "u:x",
                    type: "docker:index/container:Container",
                    custom: true,
                    provider: "u:prov::id-1",
                    dependencies: ["u:a"],
                    propertyDependencies: { image: ["u:img"] },
                },
            ],
        });
        expect(g).toEqual([
            {
                urn: "u:x",
                type: "docker:index/container:Container",
                custom: true,
                dependencies: ["u:a", "u:img", "u:prov"],
            },
        ]);
    });
});

describe("the local stack's settings, kept out of the clone", () => {
    it("copies the committed file, keeps the salt Pulumi wrote in the copy, and never writes the clone", () => {
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "fk-cache-"));
        const committed = fs.readFileSync(path.join(ROOT, "Pulumi.local.yaml"), "utf8");
        const dir = prepareSettings("local", cache);
        const copy = path.join(dir, "Pulumi.local.yaml");
        expect(fs.readFileSync(copy, "utf8")).toBe(committed);
        expect(fs.existsSync(path.join(dir, "Pulumi.yaml"))).toBe(true);
        // What Pulumi does on first use of the stack with a passphrase:
        fs.appendFileSync(copy, "encryptionsalt: v1:abc:def\n");
        prepareSettings("local", cache);
        expect(fs.readFileSync(copy, "utf8")).toBe(`${committed.replace(/\n*$/, "\n")}encryptionsalt: v1:abc:def\n`);
        expect(fs.readFileSync(path.join(ROOT, "Pulumi.local.yaml"), "utf8")).toBe(committed);
    });
});
