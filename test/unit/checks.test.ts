/**
 * The read-only checks the operator's machine runs (plan/checks.ts): where each command runs (the peer's own host,
 * over SSH with that host's key, or here for a local host), and the old runbook's cross-org test, step by step.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec, validateConfig } from "../../config";
import { crossOrgTestScript, crossOrgTestable, hostShell, inCli, verifyCommand } from "../../plan";
import { SECRET, clone, rawStackConfig, stackSpec, withTestCredentials } from "../support/stacks";

let dev: NetworkSpec;
beforeEach(() => {
    dev = stackSpec("dev");
});

/** A shell that says where it would run each script. */
const on = (host: string, script: string) => `on ${host}: ${script}`;

describe("hostShell", () => {
    it("runs a local host's script as it is", () => {
        const local = stackSpec("local");
        expect(hostShell(local, {})(local.hosts[0]!.name, "peer version")).toBe("peer version");
    });

    it("runs an SSH host's script over ssh with that host's key file, and refuses one without", () => {
        const shell = hostShell(dev, { "peer0-org1": "/keys/peer0" });
        expect(shell("peer0-org1", "peer version")).toBe(
            "ssh '-i' '/keys/peer0' '-p' '22' '-l' 'fabric' '-o' 'IdentitiesOnly=yes' '-o' 'BatchMode=yes' '-o' 'StrictHostKeyChecking=accept-new' -- '203.0.113.11' 'peer version'",
        );
        expect(() => shell("bar-org5", "peer version")).toThrow(
            "host bar-org5: checks over SSH need a private key file",
        );
    });
});

describe("the chaincode checks", () => {
    const q = (s: string) => s.replaceAll("'", `'\\''`);
    const query = (arg: string) =>
        `peer chaincode query -C 'mychannel' -n 'mycc' -c '{"function":"query","Args":["${arg}"]}'`;
    const cli = (fqdn: string, script: string) => `docker exec 'cli.${fqdn}' sh -c 'set -eu\n${q(script)}'`;

    it("runs the verification query in the peer's CLI container, on the peer's host", () => {
        const p = dev.organizations[1]!.peers[1]!;
        expect(verifyCommand(dev.chaincodes[0]!, p, on)).toBe(
            `on bar-org5: ${cli("bar.org5.example.com", query("A"))}`,
        );
        expect(inCli(p, "cat", true)).toBe(`docker exec -i ${cli("bar.org5.example.com", "cat").slice(12)}`);
    });

    it("runs the cross-org test: A on each org, 20 from A to B by the last org's last peer, then A and B", () => {
        const invoke =
            `peer chaincode invoke -C 'mychannel' -n 'mycc' -c '{"function":"invoke","Args":["A","B","20"]}'` +
            " --peerAddresses 'peer0.org1.example.com:7051' --tlsRootCertFiles '/work/tlsca/org1.example.com.pem'" +
            " --peerAddresses 'bar.org5.example.com:7051' --tlsRootCertFiles '/work/tlsca/org5.example.com.pem'" +
            " --waitForEvent -o 'orderer0.example.com:7050' --tls --cafile '/work/tlsca/example.com.pem'";
        expect(crossOrgTestScript(dev, dev.chaincodes[0]!, on).split(/\n(?=echo )/)).toEqual([
            "set -e",
            `echo 'query A on peer0.org1.example.com:'; on peer0-org1: ${cli("peer0.org1.example.com", query("A"))}`,
            `echo 'query A on foo27.org5.example.com:'; on foo27-org5: ${cli("foo27.org5.example.com", query("A"))}`,
            `echo 'invoke A B 20 on bar.org5.example.com:'; on bar-org5: ${cli("bar.org5.example.com", invoke)}`,
            `echo 'query A on peer0.org1.example.com:'; on peer0-org1: ${cli("peer0.org1.example.com", query("A"))}`,
            `echo 'query B on peer0.org1.example.com:'; on peer0-org1: ${cli("peer0.org1.example.com", query("B"))}`,
        ]);
    });

    it("fits only chaincodes whose init takes four arguments (A a B b)", () => {
        expect(crossOrgTestable(dev).map((c) => c.name)).toEqual(["mycc"]);
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as Record<string, any>;
        raw.chaincodes[0].init.args = ["A", "10"];
        expect(crossOrgTestable(validateConfig(raw, SECRET))).toEqual([]);
        delete raw.chaincodes[0].init;
        delete raw.chaincodes[0].verify;
        expect(crossOrgTestable(validateConfig(raw, SECRET))).toEqual([]);
    });
});
