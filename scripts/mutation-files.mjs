// The files Stryker mutates: those the `mutate` patterns of stryker.config.mjs select (only the forms that file
// uses: "dir/**/*.ts" and "!file"). Shared by scripts/mutation.mjs and scripts/mutation-score.mjs.
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** Relative paths, posix separators, from the repository root (the current directory). */
export async function mutatedFiles() {
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
        if (!m) throw new Error(`the mutate pattern ${pattern} is not of a form scripts/mutation-files.mjs reads`);
        walk(m[1], m[2]);
    }
    for (const pattern of config.mutate.filter((p) => p.startsWith("!"))) {
        if (/[*?{[]/.test(pattern))
            throw new Error(`the pattern ${pattern} is not of a form scripts/mutation-files.mjs reads`);
        selected.delete(pattern.slice(1));
    }
    return [...selected].sort();
}
