/** The program of index.ts as a function, for the Automation API (inline programs). */
import { checkReachable } from "../components/host";
import { FabricNetwork } from "../components/network";
import { loadConfig } from "../config/load";
import { buildPlan } from "../plan";

export async function program() {
    const config = loadConfig();
    // Every SSH host answers before anything is registered; otherwise one error names them all, and neither
    // preview nor up touches any host.
    await checkReachable(config.spec, buildPlan(config.spec).steps, config.credentials);
    const network = new FabricNetwork("fabric", { config });
    return {
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
    };
}
