/** The program of index.ts as a function, for the Automation API (inline programs). */
import { FabricNetwork } from "../components/network";
import { loadConfig } from "../config/load";

export function program() {
    const network = new FabricNetwork("fabric", { config: loadConfig() });
    return Promise.resolve({
        ordererEndpoints: network.ordererEndpoints,
        peerEndpoints: network.peerEndpoints,
        channels: network.channels,
        chaincodes: network.chaincodes,
        connectionProfiles: network.connectionProfiles,
        identities: network.identities,
        batch: network.batch,
        diagram: network.diagram,
        verification: network.verification,
        crossOrgTests: network.crossOrgTests,
        certificateExpiry: network.certificateExpiry,
        migration: network.migration,
    });
}
