/**
 * The mutation run's parts (test/mutation/parts.mjs) cover every file Stryker mutates, each once: a file added to
 * config/ or plan/ without a part would otherwise drop out of the score per folder. scripts/mutation.mjs refuses to
 * run in that case too; this says so at `npm test`, before anyone starts an hour-long run.
 */
import { describe, expect, it } from "vitest";
import { PARTS } from "../mutation/parts.mjs";
import { mutatedFiles } from "../../scripts/mutation-files.mjs";

describe("mutation parts", () => {
    it("hold every mutated file of config/ and plan/ exactly once, and nothing else", async () => {
        const mutated = await mutatedFiles();
        expect(mutated.length).toBeGreaterThan(40);
        expect(mutated.some((f) => f.startsWith("config/"))).toBe(true);
        expect(mutated.some((f) => f.startsWith("plan/"))).toBe(true);
        const inParts = PARTS.flatMap((p) => p.files);
        expect(new Set(inParts).size, "a file in two parts").toBe(inParts.length);
        expect([...inParts].sort()).toEqual(mutated);
    });

    it("have distinct names that can be file names", () => {
        const names = PARTS.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
    });
});
