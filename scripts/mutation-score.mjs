#!/usr/bin/env node
// Prints the mutation score per folder (and per file with --files) from Stryker's JSON report.
// Score = detected / (detected + undetected), as Stryker counts it: killed and timed-out mutants are detected;
// survived and uncovered ones are not; mutants that do not compile or were ignored are left out.
import * as fs from "node:fs";

const args = process.argv.slice(2);
const perFile = args.includes("--files");
const file = args.find((a) => !a.startsWith("--")) ?? "reports/mutation/mutation.json";
if (!fs.existsSync(file)) {
    console.error(`${file} not found: run npm run test:mutation first`);
    process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const rows = new Map();
const add = (key, status) => {
    const r = rows.get(key) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
    if (status === "Killed") r.killed++;
    else if (status === "Timeout") r.timeout++;
    else if (status === "Survived") r.survived++;
    else if (status === "NoCoverage") r.noCoverage++;
    else r.other++;
    rows.set(key, r);
};
for (const [path, f] of Object.entries(report.files)) {
    const folder = path.includes("/") ? `${path.split("/")[0]}/` : "./";
    for (const m of f.mutants) {
        add(folder, m.status);
        if (perFile) add(path, m.status);
        add("all", m.status);
    }
}
const score = (r) => {
    const detected = r.killed + r.timeout;
    const total = detected + r.survived + r.noCoverage;
    return total === 0 ? NaN : (100 * detected) / total;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(
    `${pad("folder", 28)}${lpad("score", 8)}${lpad("killed", 8)}${lpad("timeout", 9)}${lpad("survived", 10)}${lpad("no cov", 8)}${lpad("other", 7)}`,
);
const keys = [...rows.keys()]
    .filter((k) => k !== "all")
    .sort((a, b) => {
        // Folders first, then their files.
        const fa = a.endsWith("/") ? a : a.split("/")[0] + "/";
        const fb = b.endsWith("/") ? b : b.split("/")[0] + "/";
        return fa === fb ? (a.endsWith("/") ? -1 : b.endsWith("/") ? 1 : a.localeCompare(b)) : fa.localeCompare(fb);
    });
for (const k of [...keys, "all"]) {
    const r = rows.get(k);
    console.log(
        `${pad(k.endsWith("/") || k === "all" ? k : `  ${k}`, 28)}${lpad(score(r).toFixed(2), 8)}${lpad(r.killed, 8)}${lpad(r.timeout, 9)}${lpad(r.survived, 10)}${lpad(r.noCoverage, 8)}${lpad(r.other, 7)}`,
    );
}
