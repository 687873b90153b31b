/*
 * Entry point read by fabric-chaincode-node (package.json "main"): the contracts this chaincode serves.
 * MyccContract is marked @Default, so function names need no "mycc:" prefix.
 */
import { MyccContract } from './mycc-contract';

export { MyccContract } from './mycc-contract';
export const contracts: (typeof MyccContract)[] = [MyccContract];
