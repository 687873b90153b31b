#!/usr/bin/env node
// `npm run test:mutation`: Stryker over config/ and plan/, in the parts of test/mutation/parts.mjs, then the score
// per folder (scripts/mutation-score.mjs).
//
//   node scripts/mutation.mjs                      every part, then the score
//   node scripts/mutation.mjs config-hosts ...     only the parts named, then the score over every stored part
//   node scripts/mutation.mjs --score              no run: the score of the stored results, per file
//   node scripts/mutation.mjs --list               the parts and their files
//
// Each part runs as `stryker run --ignoreStatic --mutate <its files> --incremental`, with its stored result
// (test/mutation/results/<part>.json.gz) as the incremental file: Stryker reuses a mutant's result when neither its
// code nor the tests that killed (or, for a survivor, covered) it changed, and tests the rest. A part's result is
// stored only when its run completed, so a run that is stopped loses only the part it was in. Commit the results:
// they are what the next run, on any machine, starts from.
//
// --ignoreStatic: mutants of code that runs only when a module loads would each need every unit test run again in
// a fresh process; they are reported Ignored and left out of the score (docs/mutation.md).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { PARTS } from "../test/mutation/parts.mjs";
import { mutatedFiles } from "./mutation-files.mjs";

const RESULTS = "test/mutation/results";
const WORK = "reports/mutation/parts";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith("--") && !["--score", "--list"].includes(a));
if (unknown.length > 0) fail(`unknown option ${unknown.join(", ")}: use --score, --list or part names`);

function fail(message) {
    console.error(`test:mutation: ${message}`);
    process.exit(2);
}

// Every mutated file in exactly one part, every part's file mutated.
const mutated = await mutatedFiles();
const owner = new Map();
for (const part of PARTS)
    for (const f of part.files) {
        if (owner.has(f)) fail(`${f} is in two parts of test/mutation/parts.mjs: ${owner.get(f)} and ${part.name}`);
        owner.set(f, part.name);
    }
const missing = mutated.filter((f) => !owner.has(f));
if (missing.length > 0)
    fail(
        `${missing.join(", ")}: mutated (stryker.config.mjs) but in no part of test/mutation/parts.mjs; add each to one`,
    );
const extra = [...owner.keys()].filter((f) => !mutated.includes(f));
if (extra.length > 0) fail(`${extra.join(", ")}: in test/mutation/parts.mjs but not mutated (gone, or excluded)`);

if (args.includes("--list")) {
    for (const part of PARTS) console.log(`${part.name.padEnd(18)} ${part.files.join(" ")}`);
    process.exit(0);
}

const named = args.filter((a) => !a.startsWith("--"));
const unknownParts = named.filter((n) => !PARTS.some((p) => p.name === n));
if (unknownParts.length > 0)
    fail(`no part named ${unknownParts.join(", ")}; the parts: ${PARTS.map((p) => p.name).join(", ")}`);
const toRun = args.includes("--score") ? [] : named.length > 0 ? PARTS.filter((p) => named.includes(p.name)) : PARTS;

const stored = (part) => path.join(RESULTS, `${part.name}.json.gz`);

/**
 * Stryker's report leaves out a file in which it found nothing to mutate (plan/types.ts: types only). The stored
 * result lists it with no mutants and the source it was run on, so the score counts the file as covered, and as
 * stale once it changes.
 */
function withEveryFile(report, files) {
    for (const f of files)
        report.files[f] ??= { language: "typescript", source: fs.readFileSync(f, "utf8"), mutants: [] };
    return report;
}
fs.mkdirSync(WORK, { recursive: true });
fs.mkdirSync(RESULTS, { recursive: true });

const failed = [];
for (const [i, part] of toRun.entries()) {
    const incremental = path.join(WORK, `${part.name}.json`);
    if (fs.existsSync(stored(part))) fs.writeFileSync(incremental, zlib.gunzipSync(fs.readFileSync(stored(part))));
    else fs.rmSync(incremental, { force: true });
    const started = Date.now();
    console.log(`\n==> part ${i + 1} of ${toRun.length}: ${part.name} (${part.files.join(", ")})`);
    const run = spawnSync(
        "npx",
        [
            "stryker",
            "run",
            "--ignoreStatic",
            "--mutate",
            part.files.join(","),
            "--incremental",
            "--incrementalFile",
            incremental,
        ],
        { stdio: "inherit" },
    );
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    if (run.status === 0 && fs.existsSync(incremental)) {
        const report = withEveryFile(JSON.parse(fs.readFileSync(incremental, "utf8")), part.files);
        fs.writeFileSync(stored(part), zlib.gzipSync(JSON.stringify(report), { level: 9 }));
        console.log(`==> ${part.name}: done in ${minutes} min, result stored in ${stored(part)}`);
    } else {
        failed.push(part.name);
        console.log(`==> ${part.name}: Stryker failed after ${minutes} min (status ${run.status}); result not stored`);
    }
}

const results = PARTS.map(stored).filter((f) => fs.existsSync(f));
if (results.length === 0) fail(`no stored result in ${RESULTS}: run a part first`);
const score = spawnSync(
    process.execPath,
    ["scripts/mutation-score.mjs", ...(args.includes("--score") ? ["--files"] : []), ...results],
    { stdio: "inherit" },
);
if (failed.length > 0) fail(`parts not completed: ${failed.join(", ")}`);
process.exit(score.status ?? 1);
