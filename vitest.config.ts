import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        projects: [
            // Property tests and real shell runs take seconds; on two busy cores, much more than the 5 s default.
            { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 60_000 } },
            // Pulumi mocks are process-global: one file per worker, never shared. Building a whole network under
            // mocks takes 5-10 s on an idle 2-core machine and over 10 s (vitest's default) when it is busy.
            {
                test: {
                    name: "components",
                    include: ["test/components/**/*.test.ts"],
                    pool: "forks",
                    hookTimeout: 120_000,
                    testTimeout: 60_000,
                },
            },
            {
                test: {
                    name: "e2e",
                    include: ["test/e2e/**/*.test.ts"],
                    pool: "forks",
                    testTimeout: 60 * 60 * 1000,
                    hookTimeout: 30 * 60 * 1000,
                    poolOptions: { forks: { singleFork: true } },
                },
            },
        ],
    },
});
