/**
 * A Kafka-ordered Hyperledger Fabric network across many Docker hosts. Everything lives in config/, plan/
 * and components/; this file only loads the stack's configuration, builds the network and exports outputs.
 */
import { loadConfig } from "./config/load";
import { FabricNetwork } from "./components/network";

const network = new FabricNetwork("fabric", { config: loadConfig() });

export const ordererEndpoints = network.ordererEndpoints;
export const peerEndpoints = network.peerEndpoints;
export const channels = network.channels;
export const chaincodes = network.chaincodes;
export const connectionProfiles = network.connectionProfiles;
export const verification = network.verification;
export const crossOrgTests = network.crossOrgTests;
