/**
 * The timeline of an `up`, from the engine's events and the dependency graph in the state: each resource's
 * start and end, the critical path (the longest chain of resource durations along dependencies, which no
 * amount of parallelism can shorten), the ratio of the actual duration to it, the waits on the chain that
 * actually finished last, and an SVG picture. Pure functions over plain data; scripts/timeline.ts does the I/O.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";

/** What deploy.ts keeps of an engine event. `at` is when it arrived (ms); the engine's own stamp is seconds. */
export interface RecordedEvent {
    readonly at: number;
    readonly kind: "prelude" | "pre" | "outputs" | "failed" | "summary";
    readonly urn?: string;
    readonly type?: string;
    readonly op?: string;
}

export function recordedEvent(e: EngineEvent, at: number): RecordedEvent | undefined {
    if (e.preludeEvent) return { at, kind: "prelude" };
    if (e.summaryEvent) return { at, kind: "summary" };
    const pre = e.resourcePreEvent?.metadata;
    if (pre) return { at, kind: "pre", urn: pre.urn, type: pre.type, op: pre.op };
    const out = e.resOutputsEvent?.metadata;
    if (out) return { at, kind: "outputs", urn: out.urn, type: out.type, op: out.op };
    const failed = e.resOpFailedEvent?.metadata;
    if (failed) return { at, kind: "failed", urn: failed.urn, type: failed.type, op: failed.op };
    return undefined;
}

export interface GraphNode {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    /** Everything that must exist before it: dependsOn, property dependencies and its provider. */
    readonly dependencies: readonly string[];
}

interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** The graph of an exported deployment (`stack.exportStack().deployment`). */
export function graphFromState(deployment: unknown): GraphNode[] {
    const resources = (deployment as { resources?: StateResource[] }).resources ?? [];
    return resources.map((r) => {
        const deps = new Set<string>(r.dependencies ?? []);
        for (const list of Object.values(r.propertyDependencies ?? {})) for (const d of list) deps.add(d);
        // A provider reference is `<urn>::<id>`; the resource waits for that provider.
        if (r.provider) deps.add(r.provider.slice(0, r.provider.lastIndexOf("::")));
        deps.delete(r.urn);
        return { urn: r.urn, type: r.type, custom: r.custom ?? false, dependencies: [...deps].sort() };
    });
}

export interface Span {
    readonly urn: string;
    /** The resource name (last part of the URN). */
    readonly name: string;
    readonly type: string;
    readonly op: string;
    /** Seconds since the start of the update. */
    readonly start: number;
    readonly end: number;
    readonly failed: boolean;
    /** Dependencies that have a span too. */
    readonly dependencies: readonly string[];
}

export interface ChainLink {
    readonly span: Span;
    /** Seconds between the end of what it waited for (or the update's start) and its own start. */
    readonly wait: number;
}

export interface Timeline {
    /** Seconds from the prelude to the summary (or from the first start to the last end). */
    readonly total: number;
    readonly spans: readonly Span[];
    /** The longest chain of durations along dependencies, first to last. */
    readonly criticalPath: readonly Span[];
    /** Sum of the durations on the critical path. */
    readonly criticalLength: number;
    /** total / criticalLength. */
    readonly ratio: number;
    /** From the resource that ended last, back through the dependency that ended last: what actually held it. */
    readonly observedChain: readonly ChainLink[];
}

export const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Builds the timeline; custom resources only (components have no work of their own). */
export function buildTimeline(events: readonly RecordedEvent[], graph: readonly GraphNode[]): Timeline {
    const nodes = new Map(graph.map((n) => [n.urn, n]));
    const prelude = events.find((e) => e.kind === "prelude");
    const summary = [...events].reverse().find((e) => e.kind === "summary");
    const firstPre = events.find((e) => e.kind === "pre");
    const t0 = (prelude ?? firstPre)?.at ?? 0;
    const starts = new Map<string, RecordedEvent>();
    const ends = new Map<string, RecordedEvent>();
    for (const e of events) {
        if (!e.urn) continue;
        if (e.kind === "pre" && !starts.has(e.urn)) starts.set(e.urn, e);
        if ((e.kind === "outputs" || e.kind === "failed") && !ends.has(e.urn)) ends.set(e.urn, e);
    }
    const isCustom = (urn: string, type: string) => nodes.get(urn)?.custom ?? !/^pulumi:pulumi:Stack$/.test(type);
    const raw: Array<Omit<Span, "dependencies">> = [];
    for (const [urn, s] of starts) {
        const type = s.type ?? "";
        if (!isCustom(urn, type)) continue;
        const end = ends.get(urn);
        raw.push({
            urn,
            name: nameOf(urn),
            type,
            op: s.op ?? "",
            start: (s.at - t0) / 1000,
            end: ((end ?? summary ?? s).at - t0) / 1000,
            failed: end?.kind === "failed",
        });
    }
    const have = new Set(raw.map((s) => s.urn));
    const spans: Span[] = raw
        .map((s) => ({ ...s, dependencies: (nodes.get(s.urn)?.dependencies ?? []).filter((d) => have.has(d)) }))
        .sort((a, b) => a.start - b.start || a.end - b.end || a.name.localeCompare(b.name));
    const byUrn = new Map(spans.map((s) => [s.urn, s]));

    // Longest path by duration in the dependency DAG (memoised; the state's graph is acyclic).
    const best = new Map<string, { length: number; prev?: string }>();
    const visit = (urn: string): number => {
        const known = best.get(urn);
        if (known) return known.length;
        const s = byUrn.get(urn)!;
        let prev: string | undefined;
        let longest = 0;
        for (const d of s.dependencies) {
            const l = visit(d);
            if (l > longest) [longest, prev] = [l, d];
        }
        const length = longest + Math.max(0, s.end - s.start);
        best.set(urn, prev ? { length, prev } : { length });
        return length;
    };
    let tail: string | undefined;
    let criticalLength = 0;
    for (const s of spans) {
        const l = visit(s.urn);
        if (l > criticalLength) [criticalLength, tail] = [l, s.urn];
    }
    const criticalPath: Span[] = [];
    for (let u = tail; u; u = best.get(u)?.prev) criticalPath.unshift(byUrn.get(u)!);

    const lastEnd = spans.reduce((m, s) => Math.max(m, s.end), 0);
    const total = summary ? (summary.at - t0) / 1000 : lastEnd;

    const observedChain: ChainLink[] = [];
    let cur = [...spans].sort((a, b) => b.end - a.end)[0];
    while (cur) {
        const deps = cur.dependencies.map((d) => byUrn.get(d)!).sort((a, b) => b.end - a.end);
        const held = deps[0];
        observedChain.unshift({ span: cur, wait: cur.start - (held ? held.end : 0) });
        cur = held;
    }
    return {
        total,
        spans,
        criticalPath,
        criticalLength,
        ratio: criticalLength > 0 ? total / criticalLength : 0,
        observedChain,
    };
}

const fmt = (s: number) => s.toFixed(1).padStart(6);

/** Short kind of a resource for the report and the colours: network, image, container, step, ... */
export function kindOf(type: string): string {
    if (type.startsWith("pulumi:providers:")) return "provider";
    if (type === "docker:index/network:Network") return "network";
    if (type === "docker:index/remoteImage:RemoteImage") return "image";
    if (type === "docker:index/volume:Volume") return "volume";
    if (type === "docker:index/container:Container") return "container";
    if (type.startsWith("command:")) return "step";
    if (type.startsWith("random:")) return "random";
    return "other";
}

/** The plain-text report: totals, the critical path, the observed chain with its waits, and time per kind. */
export function timelineReport(t: Timeline): string {
    const lines = [
        `resources: ${t.spans.length}, actual ${t.total.toFixed(1)} s, critical path ${t.criticalLength.toFixed(1)} s, ratio ${t.ratio.toFixed(2)}`,
        "",
        "critical path (start, end, duration, resource):",
        ...t.criticalPath.map(
            (s) => `  ${fmt(s.start)} ${fmt(s.end)} ${fmt(s.end - s.start)}  ${s.name} (${kindOf(s.type)})`,
        ),
        "",
        "what actually finished last, and what each link waited for beyond its dependencies (wait):",
        ...t.observedChain.map(
            (l) =>
                `  ${fmt(l.span.start)} ${fmt(l.span.end)} ${fmt(l.span.end - l.span.start)}  wait ${l.wait.toFixed(1).padStart(5)}  ${l.span.name} (${kindOf(l.span.type)})`,
        ),
        "",
        "by kind (count, summed duration, longest):",
    ];
    const kinds = new Map<string, Span[]>();
    for (const s of t.spans) kinds.set(kindOf(s.type), [...(kinds.get(kindOf(s.type)) ?? []), s]);
    for (const [k, ss] of [...kinds.entries()].sort()) {
        const durs = ss.map((s) => s.end - s.start);
        const longest = ss[durs.indexOf(Math.max(...durs))]!;
        lines.push(
            `  ${k.padEnd(10)} ${String(ss.length).padStart(4)} ${fmt(durs.reduce((a, b) => a + b, 0))} s  longest ${(longest.end - longest.start).toFixed(1)} s (${longest.name})`,
        );
    }
    return lines.join("\n");
}

const COLOURS: Record<string, string> = {
    provider: "#9e9e9e",
    network: "#7e57c2",
    image: "#42a5f5",
    volume: "#8d6e63",
    container: "#66bb6a",
    step: "#ffa726",
    random: "#bdbdbd",
    other: "#bdbdbd",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A Gantt chart: one row per resource in start order, the critical path outlined in red. */
export function timelineSvg(t: Timeline, title: string): string {
    const row = 14;
    const labelW = 300;
    const chartW = 900;
    const top = 48;
    const scale = chartW / Math.max(t.total, 1);
    const critical = new Set(t.criticalPath.map((s) => s.urn));
    const height = top + t.spans.length * row + 40;
    const width = labelW + chartW + 80;
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="8" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
        `<text x="8" y="32">actual ${t.total.toFixed(1)} s, critical path ${t.criticalLength.toFixed(1)} s (red outline), ratio ${t.ratio.toFixed(2)}; colours: ${Object.entries(
            COLOURS,
        )
            .filter(([k]) => k !== "other")
            .map(([k]) => k)
            .join(", ")}</text>`,
    ];
    const step = t.total > 120 ? 20 : t.total > 40 ? 10 : 5;
    for (let s = 0; s <= t.total; s += step) {
        const x = labelW + s * scale;
        out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 30}" stroke="#eeeeee"/>`);
        out.push(`<text x="${x}" y="${height - 16}" text-anchor="middle">${s}s</text>`);
    }
    t.spans.forEach((s, i) => {
        const y = top + i * row;
        const x = labelW + s.start * scale;
        const w = Math.max(1, (s.end - s.start) * scale);
        const colour = s.failed ? "#e53935" : (COLOURS[kindOf(s.type)] ?? COLOURS.other);
        const stroke = critical.has(s.urn) ? ` stroke="#d50000" stroke-width="2"` : "";
        out.push(`<text x="${labelW - 6}" y="${y + 10}" text-anchor="end">${esc(s.name)}</text>`);
        out.push(
            `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 4}" fill="${colour}"${stroke}><title>${esc(
                `${s.name} ${s.op} ${s.start.toFixed(1)}–${s.end.toFixed(1)} s`,
            )}</title></rect>`,
        );
        out.push(
            `<text x="${(x + w + 3).toFixed(1)}" y="${y + 10}" fill="#555555">${(s.end - s.start).toFixed(1)}</text>`,
        );
    });
    out.push("</svg>");
    return `${out.join("\n")}\n`;
}
