import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        projects: [
            { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
            // Pulumi mocks are process-global: one file per worker, never shared.
            { test: { name: "components", include: ["test/components/**/*.test.ts"], pool: "forks" } },
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
