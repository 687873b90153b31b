import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BREAKS, applyBreak } from "../mutation/breakList";

const ROOT = path.resolve(__dirname, "../..");

/** The hand-applied breaks of `npm run test:breaks` (test/mutation/breaks.ts) must keep matching today's code. */
describe("the README's promises, broken by hand", () => {
    it("each break edits its file exactly once, into something else, and names existing test files", () => {
        expect(new Set(BREAKS.map((b) => b.id)).size).toBe(BREAKS.length);
        for (const b of BREAKS) {
            const source = fs.readFileSync(path.join(ROOT, b.file), "utf8");
            expect(applyBreak(b, source), b.id).not.toBe(source);
            for (const t of b.tests) expect(fs.existsSync(path.join(ROOT, t)), `${b.id}: ${t}`).toBe(true);
        }
    });

    it("refuses a break whose text is not in the file once", () => {
        const b = BREAKS[0]!;
        expect(() => applyBreak(b, "")).toThrow(/occurs 0 times/);
        expect(() => applyBreak(b, b.from + b.from)).toThrow(/occurs 2 times/);
    });
});
