/** The whole plan for a spec: pure data, computed once and handed to the components. */
import { NetworkSpec } from "../config/spec";
import { packageId } from "./chaincode";
import { chaincodeContainer, containersByHost } from "./containers";
import { GENESIS_PROFILE, channelProfile, configtx, cryptoConfig, renderYaml } from "./fabricConfig";
import { artifactFilesFor, cryptoFilesFor } from "./files";
import { allPeers } from "./layout";
import { identities } from "./scripts";
import { Step, deliveryHosts, stepGraph, topologicalOrder } from "./steps";
import { ContainerSpec, FileCopy } from "./types";

export interface NetworkPlan {
    readonly containers: ReadonlyMap<string, readonly ContainerSpec[]>;
    readonly chaincodeContainers: readonly ContainerSpec[];
    readonly steps: readonly Step[];
    readonly cryptoConfigYaml: string;
    readonly configtxYaml: string;
    readonly identities: string;
    readonly genesisProfile: string;
    readonly channelProfile: (channel: string) => string;
    readonly files: ReadonlyMap<string, readonly FileCopy[]>;
}

export function buildPlan(spec: NetworkSpec): NetworkPlan {
    const steps = topologicalOrder(stepGraph(spec));
    const chaincodeContainers = spec.chaincodes.flatMap((cc) => {
        const ch = spec.channels.find((c) => c.name === cc.channel)!;
        return allPeers(spec)
            .filter((p) => ch.organizations.includes(p.org))
            .map((p) => chaincodeContainer(spec, cc, p, packageId(cc)));
    });
    return {
        containers: containersByHost(spec),
        chaincodeContainers,
        steps,
        cryptoConfigYaml: renderYaml(cryptoConfig(spec)),
        configtxYaml: renderYaml(configtx(spec)),
        identities: identities(spec),
        genesisProfile: GENESIS_PROFILE,
        channelProfile,
        files: new Map(deliveryHosts(spec).map((h) => [h, [...cryptoFilesFor(spec, h), ...artifactFilesFor(spec, h)]])),
    };
}

export * from "./types";
export * from "./layout";
export * from "./containers";
export * from "./fabricConfig";
export * from "./files";
export * from "./steps";
export * from "./scripts";
export * from "./chaincode";
export * from "./generate";
