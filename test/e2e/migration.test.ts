/**
 * The Kafka → Raft migration on the dev topology's 13 simulated hosts: a Kafka network with committed traffic,
 * the migration previewed, interrupted and aborted (back to Kafka), migrated again with an interrupted and
 * resumed `up`, then checked and a no-op second `up`. The phases are in scenarios/migration.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    MigrationContext,
    abortMigration,
    checkMigrated,
    interruptedMigration,
    noopAfterMigration,
    previewMigration,
    recordTraffic,
    resumedMigration,
} from "./scenarios/migration";
import { Timings, e2eConfig, e2eStack, ensureToolchain, hostsDown, hostsUp } from "./support/harness";

const timings = new Timings();
let ctx: MigrationContext;

describe("Kafka → Raft migration on 13 simulated hosts", () => {
    beforeAll(async () => {
        timings.toolchain(await ensureToolchain());
        const sim = await timings.time("hosts up", () => hostsUp(13));
        const config = e2eConfig(sim);
        const names = (config.plain.hosts as Array<{ name: string }>).map((h) => h.name);
        ctx = {
            stack: await e2eStack("e2e-migration", config),
            sim,
            config,
            host: (name) => sim.hosts[names.indexOf(name)]!,
            timings,
        };
    });

    afterAll(async () => {
        console.log(`e2e migration summary: ${timings.line()}`);
        await hostsDown();
    });

    it("comes up on Kafka", async () => {
        const up = await timings.time("cold up (kafka)", () =>
            ctx.stack.up({ onOutput: (s) => process.stdout.write(s) }),
        );
        expect(up.summary.result).toBe("succeeded");
    });
    it("commits traffic on Kafka", () => recordTraffic(ctx));
    it("previews the migration as steps per channel and host", () => previewMigration(ctx));
    it("stops when its up is interrupted", () => interruptedMigration(ctx));
    it("aborts back to a working Kafka network", () => abortMigration(ctx));
    it("migrates, interrupted and resumed", () => resumedMigration(ctx));
    it("runs Raft with the history intact and no Kafka left", () => checkMigrated(ctx));
    it("changes nothing on a second up", () => noopAfterMigration(ctx));
});
