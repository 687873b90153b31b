/** The whole plan for a spec: pure data, computed once and handed to the components. */
import { NetworkSpec } from "../config/spec";
import { packageId } from "./chaincode";
import { chaincodeContainer, cliContainer, peerContainer } from "./containers";
import { channelProfile, configtx, cryptoConfig, genesisProfile, renderYaml } from "./fabricConfig";
import { hostFiles, renderedFilesFor } from "./files";
import { allPeers, chaincodeChannel, channelPeers } from "./names";
import { ordererContainer } from "./orderer";
import { orderingNodes, orderingPlan } from "./ordering";
import { identities } from "./scripts";
import { deliveryHosts, stepGraph, topologicalOrder } from "./steps";
import { ContainerSpec, FileCopy, RenderedFile, Step } from "./types";

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
    /** Per delivery host, the files the plan renders itself (same keys as `files`). */
    readonly rendered: ReadonlyMap<string, readonly RenderedFile[]>;
}

/** Every long-running container of the network, grouped by host, in tier order. */
export function containersByHost(spec: NetworkSpec): Map<string, ContainerSpec[]> {
    const migration = orderingPlan(spec).migration;
    const all = [
        ...orderingNodes(spec).map((n) => n.container),
        ...spec.orderers.map((o) => ordererContainer(spec, o)),
        ...allPeers(spec).flatMap((p) => [peerContainer(spec, p), cliContainer(spec, p)]),
        ...(migration ? [migration.admin.container] : []),
    ];
    const out = new Map<string, ContainerSpec[]>(spec.hosts.map((h) => [h.name, []]));
    for (const c of all) out.get(c.host)!.push(c);
    return out;
}

export function buildPlan(spec: NetworkSpec): NetworkPlan {
    const steps = topologicalOrder(stepGraph(spec));
    const chaincodeContainers = spec.chaincodes.flatMap((cc) =>
        channelPeers(spec, chaincodeChannel(spec, cc)).map((p) => chaincodeContainer(spec, cc, p, packageId(cc))),
    );
    return {
        containers: containersByHost(spec),
        chaincodeContainers,
        steps,
        cryptoConfigYaml: renderYaml(cryptoConfig(spec)),
        configtxYaml: renderYaml(configtx(spec)),
        identities: identities(spec),
        genesisProfile: genesisProfile(spec),
        channelProfile,
        files: new Map(deliveryHosts(spec).map((h) => [h, hostFiles(spec, h)])),
        rendered: new Map(deliveryHosts(spec).map((h) => [h, renderedFilesFor(spec, h)])),
    };
}

export * from "./types";
export * from "./names";
export * from "./layout";
export * from "./containers";
export * from "./orderer";
export * from "./ordering";
export * from "./ordering/migration";
export * from "./fabricConfig";
export * from "./files";
export * from "./steps";
export * from "./readiness";
export * from "./shell";
export * from "./checks";
export * from "./scripts";
export * from "./members";
export * from "./chaincode";
export * from "./certificates";
export * from "./reachability";
export * from "./carry";
export * from "./generate";
export * from "./archive";
export * from "./profiles";
export * from "./appFolder";
export * from "./diagram";
