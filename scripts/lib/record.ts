/**
 * Recording what an `up` did, for `npm run timeline`: one JSON line per engine event (stamped with the time it
 * arrived, because the engine's own stamp is in whole seconds) and, after the run, the dependency graph from the
 * state, both under <cache>/timelines/<stack>/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import {
    GraphNode,
    RecordedEvent,
    buildTimeline,
    graphFromState,
    recordedEvent,
    timelineReport,
    timelineSvg,
} from "./timeline";
import { cacheDir } from "./workspace";

export interface EventRecorder {
    readonly file: string;
    readonly onEvent: (e: EngineEvent) => void;
}

export function eventRecorder(stackName: string, action: string): EventRecorder {
    const dir = path.join(cacheDir(), "timelines", stackName);
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(dir, `${stamp}-${action}.events.jsonl`);
    const fd = fs.openSync(file, "w", 0o600);
    return {
        file,
        onEvent: (e) => {
            const r = recordedEvent(e, Date.now());
            if (r) fs.writeSync(fd, `${JSON.stringify(r)}\n`);
        },
    };
}

/** The graph of the resources now in the state, next to the events of the run that made them. */
export async function saveGraph(stack: Stack, eventsFile: string): Promise<string> {
    const state = await stack.exportStack();
    const file = eventsFile.replace(/\.events\.jsonl$/, ".graph.json");
    fs.writeFileSync(file, JSON.stringify(graphFromState(state.deployment as unknown)));
    return file;
}

/** Engine operations at once: the CLI's default (8) queues the per-host work of a many-host network. */
export const UP_PARALLEL = 64;

/**
 * The timeline of a recorded run (its events file and the graph saved beside it): the report (each resource's
 * timing, the critical path, the ratio) and the SVG picture, written next to the events; returns both.
 */
export function writeTimeline(eventsFile: string, title: string): { report: string; svg: string } {
    const graphFile = eventsFile.replace(/\.events\.jsonl$/, ".graph.json");
    if (!fs.existsSync(graphFile)) throw new Error(`${graphFile} is missing: the up did not finish`);
    const events = fs
        .readFileSync(eventsFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RecordedEvent);
    const timeline = buildTimeline(events, JSON.parse(fs.readFileSync(graphFile, "utf8")) as GraphNode[]);
    const svg = eventsFile.replace(/\.events\.jsonl$/, ".svg");
    fs.writeFileSync(svg, timelineSvg(timeline, title));
    return { report: timelineReport(timeline), svg };
}
