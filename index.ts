/**
 * A Kafka-ordered Hyperledger Fabric network across many Docker hosts. Everything lives in config/, plan/
 * and components/; the program itself (load config, build the network, return its outputs) is in
 * scripts/program.ts, shared with the Automation API runner.
 */
import { program } from "./scripts/program";

// Pulumi calls an exported function and turns the object it resolves to into stack outputs.
export = program;
