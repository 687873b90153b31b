/**
 * The suite Stryker runs against each mutant of config/ and plan/: the unit tests, which exercise the pure
 * layers directly. The component tests (Pulumi mocks) are left out here, but for badConfig.test.ts: they take
 * seconds per file and each one covers nearly every plan function, so running them per mutant would take hours on
 * two cores.
 */
import { BaseSequencer, TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Cheap files first: Stryker stops at the first failing test, and the default order (slowest first) would
 * start every mutant with the property tests.
 */
class CheapFirst extends BaseSequencer {
    override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const cost = (f: TestSpecification) =>
            /properties/.test(f.moduleId)
                ? 2
                : /generateScripts|legacy|stepScripts|channelJoin|certificates/.test(f.moduleId)
                  ? 1
                  : 0;
        return Promise.resolve([...files].sort((a, b) => cost(a) - cost(b) || a.moduleId.localeCompare(b.moduleId)));
    }
}

export default defineConfig({
    test: {
        // Plus the one component test that loads a configuration through Pulumi's runtime config (config/load.ts,
        // which only the component tests reach): five tests, a tenth of a second.
        include: ["test/unit/**/*.test.ts", "test/components/badConfig.test.ts"],
        // The hostile-value test runs every generated script with attacking values: 80 s, and it reaches every
        // mutant. Its promise (every value quoted) is pinned per function by shell.test.ts and the script tests.
        // breakList.test.ts reads the source files for the text each hand-applied break edits; in Stryker's
        // sandbox they carry its instrumentation, so the text is not found there, and it tests no behaviour anyway.
        exclude: ["test/unit/hostile.test.ts", "test/unit/breakList.test.ts"],
        testTimeout: 60_000,
        setupFiles: ["test/mutation/setup.ts"],
        sequence: { sequencer: CheapFirst },
    },
});
