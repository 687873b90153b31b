/**
 * Setup for the mutation run only (vitest.mutation.config.ts): a quarter of fast-check's default 100 runs per
 * property. Each surviving mutant runs every property test that reaches it; 25 random topologies still reach
 * every branch of the plan, at a quarter of the cost. `npm test` keeps the default.
 */
import fc from "fast-check";

fc.configureGlobal({ numRuns: 25 });
