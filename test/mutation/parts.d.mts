/** Types of parts.mjs, for the unit test that checks the parts (test/unit/mutationParts.test.ts). */
export declare const PARTS: ReadonlyArray<{ readonly name: string; readonly files: readonly string[] }>;
