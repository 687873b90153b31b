/**
 * The membership update's wiring under mocks (network.manageChannelMembers on): one step per org on that org's
 * own host, in its own CLI, the envelope handed from step to step as stdout, the members' printed groups from the
 * artifacts step, and the member set as the trigger.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildNetwork, byType } from "../support/mocks";
import { rawStackConfig, withOrgRaw, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

describe("the membership update under mocks (dev + Org6, manageChannelMembers on)", () => {
    beforeAll(async () => {
        const raw = withOrgRaw(rawStackConfig("dev"), { name: "Org6", host: "peer0-org6", address: "203.0.113.16" });
        raw.network = { ...(raw.network as object), manageChannelMembers: true };
        await buildNetwork(withTestCredentials(raw), false);
    });

    const step = (name: string) => {
        const r = byType("command:remote:Command").find((x) => x.name === name);
        if (!r) throw new Error(`no step ${name}`);
        return r;
    };
    const host = (name: string) => step(name).inputs.connection.value.host as string;

    it("computes and submits on the lead's host, signs on each other org's own host", () => {
        expect(host("mychannel-members-compute")).toBe("203.0.113.11");
        expect(host("mychannel-members-sign-Org5MSP")).toBe("203.0.113.12");
        expect(host("mychannel-members-sign-Org6MSP")).toBe("203.0.113.16");
        expect(host("mychannel-members-submit")).toBe("203.0.113.11");
        expect(byType("command:remote:Command").filter((r) => r.name.startsWith("mychannel-members-"))).toHaveLength(4);
    });

    it("signs in the org's own CLI and hands on only the previous step's output", () => {
        expect(step("mychannel-members-sign-Org5MSP").inputs.create).toContain("'cli.foo27.org5.example.com'");
        expect(step("mychannel-members-sign-Org6MSP").inputs.create).toContain("'cli.peer0.org6.example.com'");
        expect(step("mychannel-members-sign-Org5MSP").inputs.stdin).toBe("stdout-of-mychannel-members-compute");
        expect(step("mychannel-members-sign-Org6MSP").inputs.stdin).toBe("stdout-of-mychannel-members-sign-Org5MSP");
        expect(step("mychannel-members-submit").inputs.stdin).toBe("stdout-of-mychannel-members-sign-Org6MSP");
    });

    it("gives the compute step the members' printed groups, and re-runs every step when the members change", () => {
        expect(Object.keys(JSON.parse(step("mychannel-members-compute").inputs.stdin as string))).toEqual([
            "Org1MSP",
            "Org5MSP",
            "Org6MSP",
        ]);
        for (const n of ["compute", "sign-Org5MSP", "sign-Org6MSP", "submit"])
            expect(step(`mychannel-members-${n}`).inputs.triggers).toEqual(["Org1MSP,Org5MSP,Org6MSP"]);
    });
});
