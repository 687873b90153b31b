export * from "./spec";
export * from "./defaults";
export * from "./errors";
export { validateConfig, parseSize, placeholderPrivateKey, SecretKeys, ValidationContext } from "./validate";
export { RawConfig, TOP_LEVEL_KEYS } from "./schema";
