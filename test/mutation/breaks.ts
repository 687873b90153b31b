/**
 * Applies each break of breakList.ts in a scratch copy of the repository and requires the test it names to fail.
 * Issue 15 lists breaks that once went unnoticed; this keeps them (and one break per promise of the README besides)
 * applied on demand, so "a test catches it" stays a fact that anyone can check again:
 *
 *     npm run test:breaks                  # every break
 *     npm run test:breaks -- no-depends-on # only the ones named
 *
 * For each break the runner edits one source file in the copy (the edit must apply exactly once, or the break is
 * stale and the run fails), runs the named test files, and requires the test it names among the failures. The same
 * test files must pass on the unbroken copy first, so a failure means the break was seen, not that the test was
 * already red. Exit status 1 when any break goes unnoticed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BREAKS, Break, applyBreak } from "./breakList";

interface Outcome {
    readonly failed: string[];
    /** Files that failed without a failing test (did not load): no evidence of anything. */
    readonly broken: string[];
}

// Run from the repository root (npm run test:breaks does).
const ROOT = process.cwd();

function runTests(dir: string, files: readonly string[]): Outcome {
    const out = path.join(dir, ".breaks-result.json");
    fs.rmSync(out, { force: true });
    spawnSync(
        path.join(ROOT, "node_modules/.bin/vitest"),
        ["run", "--project", "unit", "--project", "components", "--reporter=json", `--outputFile=${out}`, ...files],
        { cwd: dir, stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, CI: "true" } },
    );
    if (!fs.existsSync(out)) throw new Error(`vitest wrote no result for ${files.join(" ")}`);
    const r = JSON.parse(fs.readFileSync(out, "utf8")) as {
        testResults: Array<{
            name: string;
            status: string;
            assertionResults: Array<{ fullName: string; status: string }>;
        }>;
    };
    const failed = r.testResults.flatMap((f) =>
        f.assertionResults.filter((a) => a.status === "failed").map((a) => a.fullName),
    );
    const broken = r.testResults
        .filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"))
        .map((f) => path.relative(dir, f.name));
    return { failed, broken };
}

/** A scratch copy of the working tree's tracked files, sharing the checkout's node_modules. */
function scratchCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-breaks-"));
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && !f.startsWith("chaincode/") && fs.existsSync(path.join(ROOT, f)));
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

function apply(dir: string, b: Break): () => void {
    const file = path.join(dir, b.file);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, applyBreak(b, text));
    return () => fs.writeFileSync(file, text);
}

function main(): number {
    const only = process.argv.slice(2).filter((a) => a !== "--");
    const unknown = only.filter((id) => !BREAKS.some((b) => b.id === id));
    if (unknown.length) {
        console.error(`unknown break(s): ${unknown.join(", ")}; known: ${BREAKS.map((b) => b.id).join(", ")}`);
        return 2;
    }
    const chosen = only.length ? BREAKS.filter((b) => only.includes(b.id)) : BREAKS;
    const dir = scratchCopy();
    const started = Date.now();
    let unnoticed = 0;
    try {
        const files = [...new Set(chosen.flatMap((b) => b.tests))];
        console.log(`unbroken: ${files.join(", ")}`);
        const base = runTests(dir, files);
        if (base.failed.length || base.broken.length) {
            console.error(`the unbroken copy already fails: ${[...base.failed, ...base.broken].join("; ")}`);
            return 1;
        }
        for (const b of chosen) {
            const restore = apply(dir, b);
            const t0 = Date.now();
            let r: Outcome;
            try {
                r = runTests(dir, b.tests);
            } finally {
                restore();
            }
            const caught = r.failed.some((n) => n.includes(b.caughtBy));
            if (!caught) unnoticed++;
            const secs = ((Date.now() - t0) / 1000).toFixed(0);
            console.log(
                `${caught ? "caught    " : "UNNOTICED "} ${b.id} (${b.file}; ${secs} s): ${b.promise}\n` +
                    `           ${r.failed.length} failing test(s)${caught ? `, among them "${r.failed.find((n) => n.includes(b.caughtBy))}"` : `; expected one named "${b.caughtBy}"`}` +
                    (r.broken.length ? `\n           did not load: ${r.broken.join(", ")}` : ""),
            );
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(
        `${chosen.length - unnoticed} of ${chosen.length} breaks caught in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return unnoticed ? 1 : 0;
}

process.exit(main());
