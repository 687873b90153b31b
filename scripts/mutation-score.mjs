#!/usr/bin/env node
// Prints the mutation score per folder (and per file with --files) from one or more of Stryker's JSON reports.
// Score = detected / (detected + undetected), as Stryker counts it: killed and timed-out mutants are detected;
// survived and uncovered ones are not; mutants that do not compile or were ignored (static mutants under
// --ignoreStatic) are left out of the score and counted in their own columns.
//
//   node scripts/mutation-score.mjs [--files] [report.json ...]     (default: reports/mutation/mutation.json)
//
// Several reports (a folder run in parts) are summed per folder. A file found in several reports counts once, from
// the last report given that has it (so a re-run of one file can be passed after the first run). A folder's row is
// its total only when every file Stryker mutates there (the `mutate` patterns of stryker.config.mjs) is in some
// report; otherwise the row says how many of its files the figures cover. A report of a file whose source has
// changed since (the report keeps the source it mutated) is stale: its figures are shown, marked stale, and do not
// count towards a folder's total. Reports may be gzipped (.json.gz, as test/mutation/results/ keeps them).
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { mutatedFiles } from "./mutation-files.mjs";

const args = process.argv.slice(2);
const perFile = args.includes("--files");
const reportFiles = args.filter((a) => !a.startsWith("--"));
if (reportFiles.length === 0) reportFiles.push("reports/mutation/mutation.json");
for (const f of reportFiles) {
    if (!fs.existsSync(f)) {
        console.error(`${f} not found: run npm run test:mutation first`);
        process.exit(1);
    }
}

const folderOf = (p) => (p.includes("/") ? `${p.split("/")[0]}/` : "./");

// The file's mutants, from the last report that has the file, and the files whose source changed since.
const mutantsOf = new Map();
const stale = new Set();
for (const f of reportFiles) {
    const raw = fs.readFileSync(f);
    const report = JSON.parse((f.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8"));
    for (const [p, file] of Object.entries(report.files)) {
        mutantsOf.set(p, file.mutants);
        const now = fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
        if (now === file.source) stale.delete(p);
        else stale.add(p);
    }
}

const rows = new Map();
const empty = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, ignored: 0, other: 0 });
const add = (key, status) => {
    const r = rows.get(key) ?? empty();
    if (status === "Killed") r.killed++;
    else if (status === "Timeout") r.timeout++;
    else if (status === "Survived") r.survived++;
    else if (status === "NoCoverage") r.noCoverage++;
    else if (status === "CompileError") r.compileError++;
    else if (status === "Ignored") r.ignored++;
    else r.other++;
    rows.set(key, r);
};
for (const [p, mutants] of mutantsOf) {
    rows.set(folderOf(p), rows.get(folderOf(p)) ?? empty());
    if (perFile) rows.set(p, rows.get(p) ?? empty());
    rows.set("all", rows.get("all") ?? empty());
    for (const m of mutants) {
        add(folderOf(p), m.status);
        if (perFile) add(p, m.status);
        add("all", m.status);
    }
}

// Coverage of each folder by the reports: "all" only when every file of every folder is in.
const expected = await mutatedFiles();
// Every folder gets a row, even one no report covers yet.
for (const p of expected) if (!rows.has(folderOf(p))) rows.set(folderOf(p), empty());
if (!rows.has("all")) rows.set("all", empty());
const coverage = new Map();
for (const folder of [...new Set(expected.map(folderOf)), "all"]) {
    const files = folder === "all" ? expected : expected.filter((p) => folderOf(p) === folder);
    const present = files.filter((p) => mutantsOf.has(p) && !stale.has(p)).length;
    const old = files.filter((p) => stale.has(p)).length;
    coverage.set(
        folder,
        (present === files.length ? "all files" : `${present} of ${files.length} files`) +
            (old > 0 ? ` (${old} more stale: changed since their report)` : ""),
    );
}
for (const p of stale) coverage.set(p, "stale: the file changed since this report");

const score = (r) => {
    const detected = r.killed + r.timeout;
    const total = detected + r.survived + r.noCoverage;
    return total === 0 ? NaN : (100 * detected) / total;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const cols = [
    ["score", 8],
    ["killed", 8],
    ["timeout", 9],
    ["survived", 10],
    ["no cov", 8],
    ["compile", 9],
    ["ignored", 9],
    ["other", 7],
];
console.log(`${pad("folder", 34)}${cols.map(([c, n]) => lpad(c, n)).join("")}  reports cover`);
const keys = [...rows.keys()]
    .filter((k) => k !== "all")
    .sort((a, b) => {
        // Folders first, then their files.
        const fa = a.endsWith("/") ? a : folderOf(a);
        const fb = b.endsWith("/") ? b : folderOf(b);
        return fa === fb ? (a.endsWith("/") ? -1 : b.endsWith("/") ? 1 : a.localeCompare(b)) : fa.localeCompare(fb);
    });
for (const k of [...keys, "all"]) {
    const r = rows.get(k);
    const values = [
        Number.isNaN(score(r)) ? "-" : score(r).toFixed(2),
        r.killed,
        r.timeout,
        r.survived,
        r.noCoverage,
        r.compileError,
        r.ignored,
        r.other,
    ];
    const label = k.endsWith("/") || k === "all" ? k : `  ${k}`;
    console.log(`${pad(label, 34)}${values.map((v, i) => lpad(v, cols[i][1])).join("")}  ${coverage.get(k) ?? ""}`);
}
