// The mutation run in parts: each part is one Stryker run over a few files of config/ or plan/, small enough to
// finish in well under an hour on two cores. Each part's result is kept in the repository
// (test/mutation/results/<part>.json.gz) and given back to Stryker as its incremental file on the next run, so a
// run only tests the mutants whose code or tests changed since (scripts/mutation.mjs).
//
// Every file that stryker.config.mjs mutates must be in exactly one part: scripts/mutation.mjs refuses to run
// otherwise, so a new file cannot drop out of the score unnoticed. Parts are balanced by size, roughly 450 to
// 800 lines each.

/** @type {ReadonlyArray<{ name: string; files: readonly string[] }>} */
export const PARTS = [
    { name: "config-model", files: ["config/schema.ts", "config/spec.ts", "config/defaults.ts", "config/suggest.ts"] },
    {
        name: "config-load",
        files: [
            "config/errors.ts",
            "config/load.ts",
            "config/stackFile.ts",
            "config/validate/index.ts",
            "config/validate/network.ts",
            "config/validate/tools.ts",
            "config/validate/images.ts",
        ],
    },
    { name: "config-hosts", files: ["config/validate/hosts.ts"] },
    {
        name: "config-ordering",
        files: ["config/validate/kafka.ts", "config/validate/ordering.ts", "config/validate/channels.ts"],
    },
    {
        name: "config-members",
        files: [
            "config/validate/chaincodes.ts",
            "config/validate/collector.ts",
            "config/validate/etcdraft.ts",
            "config/validate/orgs.ts",
        ],
    },
    { name: "config-values", files: ["config/validate/policy.ts", "config/validate/values.ts"] },
    { name: "plan-migration", files: ["plan/ordering/migration.ts"] },
    {
        name: "plan-ordering",
        files: ["plan/ordering/kafka.ts", "plan/ordering/index.ts", "plan/ordering/etcdraft.ts"],
    },
    { name: "plan-scripts", files: ["plan/scripts.ts", "plan/readiness.ts", "plan/shell.ts", "plan/checks.ts"] },
    { name: "plan-nodes", files: ["plan/members.ts", "plan/containers.ts", "plan/orderer.ts"] },
    { name: "plan-steps", files: ["plan/steps.ts", "plan/appFolder.ts", "plan/names.ts"] },
    {
        name: "plan-outputs",
        files: ["plan/profiles.ts", "plan/generate.ts", "plan/fabricConfig.ts", "plan/types.ts"],
    },
    {
        name: "plan-rest",
        files: [
            "plan/diagram.ts",
            "plan/carry.ts",
            "plan/archive.ts",
            "plan/index.ts",
            "plan/chaincode.ts",
            "plan/layout.ts",
            "plan/files.ts",
            "plan/certificates.ts",
            "plan/reachability.ts",
        ],
    },
];
