/**
 * The chaincode packages the program builds itself (plan/chaincode.ts): what GNU tar reads in them, byte for
 * byte, and what the peer's ccaas builder will read: where to dial the chaincode server, and without TLS.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ccaasPackage, legacySource } from "../../plan";
import { stackSpec } from "../support/stacks";

/** The files of a tar.gz as GNU tar extracts them (it checks every header's checksum and magic). */
function untar(tgz: Buffer): Record<string, Buffer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-ccpkg-"));
    execFileSync("tar", ["-xzf", "-", "-C", dir], { input: tgz, stdio: ["pipe", "pipe", "pipe"] });
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

describe("the chaincode packages", () => {
    it("the new lifecycle's: a ccaas package whose connection.json dials the server beside each peer", () => {
        const cc = stackSpec("dev").chaincodes[0]!;
        const pkg = untar(ccaasPackage(cc));
        expect(Object.keys(pkg).sort()).toEqual(["code.tar.gz", "metadata.json"]);
        expect(JSON.parse(pkg["metadata.json"]!.toString())).toEqual({ type: "ccaas", label: "mycc_1.0" });
        const code = untar(pkg["code.tar.gz"]!);
        expect(Object.keys(code)).toEqual(["connection.json"]);
        expect(JSON.parse(code["connection.json"]!.toString())).toEqual({
            address: "mycc.{{.peername}}:9999",
            dial_timeout: "10s",
            tls_required: false,
        });
        // Listed by GNU tar as regular files, owned by root, mode 0644.
        const listing = execFileSync("tar", ["-tvzf", "-"], { input: ccaasPackage(cc), encoding: "utf8" });
        expect(
            listing
                .trim()
                .split("\n")
                .map((l) => l.split(/\s+/).slice(0, 2).join(" ")),
        ).toEqual(["-rw-r--r-- 0/0", "-rw-r--r-- 0/0"]);
    });

    it("the legacy lifecycle's: a package.json for the peer's Node.js check and the same connection.json", () => {
        const cc = stackSpec("dev").chaincodes[0]!;
        const src = untar(legacySource(cc));
        expect(JSON.parse(src["package.json"]!.toString())).toEqual({
            name: "mycc",
            version: "1.0",
            description: "chaincode as a service: see connection.json",
        });
        expect(JSON.parse(src["connection.json"]!.toString())).toEqual({
            address: "mycc.{{.peername}}:9999",
            dial_timeout: "10s",
            tls_required: false,
        });
    });
});
