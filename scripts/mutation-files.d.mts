/** Types of mutation-files.mjs, for the unit test that checks the mutation parts. */
export declare function mutatedFiles(): Promise<string[]>;
