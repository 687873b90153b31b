/**
 * The application outputs under mocks: connection profiles that resolve from the operator's machine and the
 * client users' identities as a secret, both read from the crypto material (the mocks hand back a material
 * tree made for the crypto config, see test/support/fakeCrypto.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, recorded, setStackConfig, valueOf } from "../support/mocks";
import { rawStackConfig } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

describe("application outputs of the local network under mocks", () => {
    let net: import("../../components/network").FabricNetwork;

    beforeAll(async () => {
        installMocks(false);
        const raw = rawStackConfig("local") as { organizations: Array<Record<string, unknown>> };
        raw.organizations[1]!.users = 2;
        setStackConfig(raw, []);
        const { loadConfig } = await import("../../config/load");
        const { FabricNetwork } = await import("../../components/network");
        net = new FabricNetwork("fabric", { config: loadConfig() });
        await valueOf(net.urn);
    });

    it("exports each org's profile with loopback addresses and TLS name overrides", async () => {
        const profiles = await valueOf(net.connectionProfiles);
        expect(Object.keys(profiles)).toEqual(["Org1MSP", "Org5MSP"]);
        const p = JSON.parse(profiles.Org1MSP!);
        expect(p.peers["foo27.org5.example.com"].url).toBe("grpcs://127.0.0.1:8051");
        expect(p.peers["foo27.org5.example.com"].grpcOptions["ssl-target-name-override"]).toBe(
            "foo27.org5.example.com",
        );
        expect(p.peers["foo27.org5.example.com"].tlsCACerts.pem).toContain("tlsca org5.example.com");
        expect(await pulumi.isSecret(net.connectionProfiles)).toBe(false);
    });

    it("exports every org's client users as a secret", async () => {
        expect(await pulumi.isSecret(net.identities)).toBe(true);
        const ids = await valueOf(net.identities);
        expect(Object.keys(ids.Org1MSP!)).toEqual(["User1"]);
        expect(Object.keys(ids.Org5MSP!)).toEqual(["User1", "User2"]);
        expect(ids.Org5MSP!.User2!.privateKey).toContain("key User2@org5.example.com");
    });

    it("reads the material in memory: no extra step extracts certificates", () => {
        const commands = recorded.filter((r) => r.type === "command:local:Command").map((r) => r.name);
        expect(commands.filter((n) => /tls|cert|ident/i.test(n))).toEqual([]);
    });
});
