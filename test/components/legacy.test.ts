/** The dev network with its chaincode on the legacy lifecycle, under mocks (update and preview). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { byType, installMocks, setStackConfig, valueOf } from "../support/mocks";
import { legacyRaw, withTestCredentials } from "../support/stacks";
import { expectInOrder } from "../support/text";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

for (const dryRun of [false, true]) {
    describe(`the legacy chaincode lifecycle under mocks (${dryRun ? "preview" : "update"})`, () => {
        beforeAll(async () => {
            installMocks(dryRun);
            setStackConfig(withTestCredentials(legacyRaw()), ["credentials"]);
            const { loadConfig } = await import("../../config/load");
            const { FabricNetwork } = await import("../../components/network");
            const net = new FabricNetwork("fabric", { config: loadConfig() });
            await valueOf(net.urn);
            await new Promise((r) => setTimeout(r, 200));
        });

        const remote = () => byType("command:remote:Command");
        const command = (n: string) => remote().find((r) => r.name === n);

        it("installs on every member peer and instantiates once, on the lead peer", () => {
            const chaincodeSteps = remote()
                .map((r) => r.name)
                .filter((n) => n.startsWith("mycc-"))
                .sort();
            expect(chaincodeSteps).toEqual([
                // Each server's readiness: its peer can connect to it.
                "mycc-bar-org5-ready",
                "mycc-foo27-org5-ready",
                "mycc-install-bar-org5",
                "mycc-install-foo27-org5",
                "mycc-install-peer0-org1",
                "mycc-instantiate",
                "mycc-peer0-org1-ready",
            ]);
            expect(command("mycc-instantiate")!.inputs.connection.value.host).toBe("203.0.113.11");
            expect(command("mycc-install-bar-org5")!.inputs.connection.value.host).toBe("203.0.113.13");
        });

        it("checks before acting: installed and instantiated chaincodes are listed first", () => {
            const install = command("mycc-install-foo27-org5")!.inputs.create as string;
            expectInOrder(install, "peer chaincode list --installed", "peer chaincode install");
            const inst = command("mycc-instantiate")!.inputs.create as string;
            expect(inst).toMatch(/peer chaincode list --instantiated -C ['\\]*mychannel/);
            expect(inst).toContain("peer chaincode upgrade");
            expect(inst).toMatch(/ -P .*Org1MSP\.member.*Org5MSP\.member/);
        });

        it("runs a chaincode server per peer that announces name:version", () => {
            const servers = byType("docker:index/container:Container").filter((c) =>
                String(c.inputs.name).startsWith("mycc."),
            );
            expect(servers).toHaveLength(3);
            for (const s of servers) expect(s.inputs.envs).toContain("CHAINCODE_ID=mycc:1.0");
        });
    });
}
