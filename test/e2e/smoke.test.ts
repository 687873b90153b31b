/**
 * The toolchain smoke test of the stand-in plugins: a tiny program with a random.RandomPassword and local and
 * remote command.Commands through the real CLI: up, a second up with no changes, an update and a replace,
 * destroy, and failures. The checks (upstream's behaviour) live in providers/smoke/run.mjs.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/stacks";
import { ensureToolchain, sh } from "./support/harness";

describe("toolchain smoke test", () => {
    it("runs up, a no-op up and destroy with the real engine", async () => {
        await ensureToolchain();
        const out = await sh("node", [path.join(ROOT, "providers/smoke/run.mjs")], { timeoutMs: 10 * 60 * 1000 });
        console.log(out);
        expect(out).toMatch(/second up changes nothing/);
        expect(out).not.toMatch(/^FAIL/m);
        expect(out).toMatch(/PASS all checks/);
    });
});
