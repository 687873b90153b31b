import { describe, expect, it } from "vitest";
import { installMocks, recorded, setStackConfig } from "../support/mocks";
import { clone, rawStackConfig, withTestCredentials } from "../support/stacks";

describe("a bad configuration", () => {
    it("fails before any resource is registered, naming every problem", async () => {
        installMocks(false);
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as any;
        raw.ordering.kafka.replicationFactor = 4;
        raw.hosts[3].address = "192.0.2.300";
        setStackConfig(raw, ["credentials"]);
        const { loadConfig } = await import("../../config/load");
        const { FabricNetwork } = await import("../../components/network");
        expect(() => new FabricNetwork("fabric", { config: loadConfig() })).toThrow(
            /has 2 problems; nothing was deployed\.\n.*hosts\[3\]\.address.*\n.*replicationFactor/s,
        );
        await new Promise((r) => setTimeout(r, 50));
        expect(recorded).toEqual([]);
    });

    it("refuses credentials stored in plaintext", async () => {
        installMocks(false);
        setStackConfig(withTestCredentials(rawStackConfig("dev")), []);
        const { loadConfig } = await import("../../config/load");
        expect(() => loadConfig()).toThrow(/pulumi config set --secret --path 'credentials\.zookeeper1\.privateKey'/);
        expect(recorded).toEqual([]);
    });
});
