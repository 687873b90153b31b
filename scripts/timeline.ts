/**
 * npm run timeline -- <stack> [events-file]
 *
 * Reads the engine events deploy.ts recorded for the newest `up` of the stack (or the given file) and the
 * dependency graph saved with them, prints each resource's timing, the critical path and the ratio of the
 * actual duration to it, and writes an SVG Gantt chart next to the events.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeTimeline } from "./lib/record";
import { cacheDir } from "./lib/workspace";

function newestUp(stack: string): string {
    const dir = path.join(cacheDir(), "timelines", stack);
    const ups = fs.existsSync(dir)
        ? fs
              .readdirSync(dir)
              .filter((f) => f.endsWith("-up.events.jsonl"))
              .sort()
        : [];
    const last = ups[ups.length - 1];
    if (!last)
        throw new Error(`no recorded up for stack ${stack} in ${dir}: run one with npm run local:up (or deploy.js up)`);
    return path.join(dir, last);
}

function main(): void {
    const [stack, file] = process.argv.slice(2);
    if (!stack) throw new Error("usage: npm run timeline -- <stack> [events-file]");
    const eventsFile = file ?? newestUp(stack);
    const { report, svg } = writeTimeline(
        eventsFile,
        `pulumi up of ${stack} (${path.basename(eventsFile, ".events.jsonl")})`,
    );
    console.log(`events: ${eventsFile}`);
    console.log(report);
    console.log(`\npicture: ${svg}`);
}

try {
    main();
} catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
}
