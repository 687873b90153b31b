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
// report; otherwise the row says how many of its files the figures cover.
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

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

/** Every file the mutate patterns select: only the forms stryker.config.mjs uses ("dir/**\/*.ts", "!file"). */
async function mutatedFiles() {
    const config = (await import(pathToFileURL(path.resolve("stryker.config.mjs")).href)).default;
    const selected = new Set();
    const walk = (dir, ext) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.posix.join(dir, e.name);
            if (e.isDirectory()) walk(p, ext);
            else if (p.endsWith(ext)) selected.add(p);
        }
    };
    for (const pattern of config.mutate.filter((p) => !p.startsWith("!"))) {
        const m = /^([\w/.-]+)\/\*\*\/\*(\.\w+)$/.exec(pattern);
        if (!m) throw new Error(`mutation-score.mjs does not understand the mutate pattern ${pattern}`);
        walk(m[1], m[2]);
    }
    for (const pattern of config.mutate.filter((p) => p.startsWith("!"))) {
        if (/[*?{[]/.test(pattern)) throw new Error(`mutation-score.mjs does not understand the pattern ${pattern}`);
        selected.delete(pattern.slice(1));
    }
    return [...selected];
}

const folderOf = (p) => (p.includes("/") ? `${p.split("/")[0]}/` : "./");

// The file's mutants, from the last report that has the file.
const mutantsOf = new Map();
for (const f of reportFiles) {
    const report = JSON.parse(fs.readFileSync(f, "utf8"));
    for (const [p, file] of Object.entries(report.files)) mutantsOf.set(p, file.mutants);
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
const coverage = new Map();
for (const folder of [...new Set(expected.map(folderOf)), "all"]) {
    const files = folder === "all" ? expected : expected.filter((p) => folderOf(p) === folder);
    const present = files.filter((p) => mutantsOf.has(p)).length;
    coverage.set(folder, present === files.length ? "all files" : `${present} of ${files.length} files`);
}

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
        score(r).toFixed(2),
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
