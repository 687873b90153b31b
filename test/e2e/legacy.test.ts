/**
 * The legacy chaincode lifecycle with the real engine: the local topology (every role on one host) on one
 * simulated host, its chaincode on `lifecycle: legacy`. Checks that the channel really is a V1_4_2 channel,
 * that `peer chaincode install/instantiate` deployed mycc, the old runbook's cross-org test, a no-op second
 * `up`, an upgrade to a new version that keeps the ledger state, and `destroy`.
 */
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../config";
import { legacyRaw } from "../support/stacks";
import {
    SimHosts,
    Timings,
    e2eConfig,
    e2eStack,
    ensureToolchain,
    hostsDown,
    hostsUp,
    onHost,
    sh,
} from "./support/harness";

const timings = new Timings();

let sim: SimHosts;
let stack: Stack;
const config = () => e2eConfig(sim, legacyRaw("local"));
const inCli = (peer: string, script: string) =>
    onHost(sim.hosts[0]!, ["docker", "exec", `cli.${peer}`, "sh", "-c", script]);
const instantiated = () => inCli("peer0.org1.example.com", "peer chaincode list --instantiated -C mychannel");

describe("the legacy lifecycle on a simulated host", () => {
    beforeAll(async () => {
        const tc = await ensureToolchain();
        timings.toolchain(tc);
        sim = await timings.time("hosts up", () => hostsUp(1));
        stack = await e2eStack("e2e-legacy", config());
    });

    afterAll(async () => {
        console.log(`e2e legacy timings: ${timings.line()}`);
        await hostsDown();
    });

    it("deploys with peer chaincode install/instantiate on a V1_4_2 channel", async () => {
        const up = await timings.time("cold up", () => stack.up({ onOutput: (s) => process.stdout.write(s) }));
        expect(up.summary.result).toBe("succeeded");
        const outputs = await stack.outputs();
        expect(outputs.verification!.value).toEqual({ mycc: { Org1MSP: "10", Org5MSP: "10" } });
        expect(outputs.chaincodes!.value.mycc).toMatchObject({ lifecycle: "legacy", packageId: "mycc:1.0" });
        // The channel's own config, read back from the orderer: the Application capability is V1_4_2.
        const caps = await inCli(
            "peer0.org1.example.com",
            [
                "peer channel fetch config /tmp/cfg.block -c mychannel -o orderer0.example.com:7050 --tls --cafile /work/tlsca/example.com.pem >/dev/null 2>&1",
                "configtxlator proto_decode --input /tmp/cfg.block --type common.Block | jq -c '.data.data[0].payload.data.config.channel_group.groups.Application.values.Capabilities.value.capabilities'",
            ].join(" && "),
        );
        console.log(`mychannel Application capabilities: ${caps.trim()}`);
        expect(JSON.parse(caps)).toEqual({ V1_4_2: {} });
        const list = await instantiated();
        console.log(list);
        expect(list).toMatch(/^Name: mycc, Version: 1\.0,/m);
        for (const peer of ["peer0.org1.example.com", "foo27.org5.example.com", "bar.org5.example.com"]) {
            expect(await inCli(peer, "peer chaincode list --installed")).toMatch(/^Name: mycc, Version: 1\.0,/m);
        }
    });

    it("passes the old runbook's cross-org test", async () => {
        const script = ((await stack.outputs()).crossOrgTests!.value as Record<string, string>).mycc!;
        const out = await sh("bash", ["-c", script]);
        console.log(out);
        expect(out.split("\n").filter((l) => /^-?\d+$/.test(l.trim()))).toEqual(["10", "10", "-10", "40"]);
    });

    it("changes nothing on a second up", async () => {
        const up = await timings.time("no-op up", () => stack.up());
        expect(Object.keys(up.summary.resourceChanges ?? {})).toEqual(["same"]);
    });

    it("upgrades to a new version with peer chaincode upgrade, keeping the state", async () => {
        const ns = DEFAULTS.namespace;
        const chaincodes = config().plain.chaincodes as Array<Record<string, unknown>>;
        chaincodes[0]!.version = "1.1";
        await stack.setConfig(`${ns}:chaincodes`, { value: JSON.stringify(chaincodes) });
        const up = await timings.time("upgrade up", () => stack.up({ onOutput: (s) => process.stdout.write(s) }));
        console.log(`upgrade: ${JSON.stringify(up.summary.resourceChanges)}`);
        expect(up.summary.result).toBe("succeeded");
        expect(await instantiated()).toMatch(/^Name: mycc, Version: 1\.1,/m);
        // Upgrade calls Init with a read-only function: the balances of the cross-org test are still there.
        expect((await stack.outputs()).verification!.value).toEqual({ mycc: { Org1MSP: "-10", Org5MSP: "-10" } });
        const again = await timings.time("no-op up after upgrade", () => stack.up());
        expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual(["same"]);
    });

    it("destroys every container", async () => {
        await timings.time("destroy", () => stack.destroy());
        expect((await onHost(sim.hosts[0]!, ["docker", "ps", "-aq"])).trim()).toBe("");
    });
});
