import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        projects: [
            { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
            // Pulumi mocks are process-global: one file per worker, never shared. Building a whole network under
            // mocks takes 5-10 s on an idle 2-core machine and over 10 s (vitest's default) when it is busy.
            {
                test: {
                    name: "components",
                    include: ["test/components/**/*.test.ts"],
                    pool: "forks",
                    hookTimeout: 60_000,
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
