/**
 * The chaincode-as-a-service package, built in memory and byte-for-byte reproducible, so its package id
 * (`<label>:<sha256 of the package>`) is known before anything runs: the install step and the chaincode
 * server's CHAINCODE_ID are computed from the same bytes.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { ChaincodeSpec } from "../config/spec";

/** One regular file in a ustar archive, with fixed owner, mode and time so the bytes never vary. */
function tarEntry(name: string, content: Buffer): Buffer {
    const header = Buffer.alloc(512, 0);
    const put = (value: string, offset: number, length: number) => header.write(value, offset, length, "ascii");
    const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0") + "\0";
    put(name, 0, 100);
    put(octal(0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(content.length, 12), 124, 12);
    put(octal(0, 12), 136, 12);
    put("        ", 148, 8); // checksum field counts as spaces while summing
    put("0", 156, 1);
    put("ustar\0", 257, 6);
    put("00", 263, 2);
    let sum = 0;
    for (const b of header) sum += b;
    put(octal(sum, 7) + " ", 148, 8);
    const pad = (512 - (content.length % 512)) % 512;
    return Buffer.concat([header, content, Buffer.alloc(pad, 0)]);
}

function tarGz(files: ReadonlyArray<[string, Buffer]>): Buffer {
    const body = Buffer.concat([...files.map(([n, c]) => tarEntry(n, c)), Buffer.alloc(1024, 0)]);
    // gzip with no file name and mtime 0: the same input always gives the same bytes.
    return gzipSync(body, { level: 9 });
}

export function packageLabel(cc: ChaincodeSpec): string {
    return `${cc.name}_${cc.version}`;
}

/**
 * `connection.json` names the server by a Go template that the peer's ccaas builder fills from
 * CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG ({"peername": "<peer fqdn>"}): one package serves every peer, each
 * dialling the chaincode container beside it (`<cc>.<peer fqdn>`, see plan/containers).
 */
function connectionJson(cc: ChaincodeSpec): Buffer {
    return Buffer.from(
        JSON.stringify({ address: `${cc.name}.{{.peername}}:${cc.port}`, dial_timeout: "10s", tls_required: false }),
    );
}

export function ccaasPackage(cc: ChaincodeSpec): Buffer {
    const code = tarGz([["connection.json", connectionJson(cc)]]);
    const metadata = { type: "ccaas", label: packageLabel(cc) };
    return tarGz([
        ["code.tar.gz", code],
        ["metadata.json", Buffer.from(JSON.stringify(metadata))],
    ]);
}

/**
 * The legacy lifecycle's source folder, as a tar.gz: what `peer chaincode install -l node -p <folder>` packs.
 * It holds no code, only `connection.json` for the peer's ccaas builder (which claims a legacy package by
 * that file) and the `package.json` that the peer's Node.js package check requires.
 */
export function legacySource(cc: ChaincodeSpec): Buffer {
    const pkg = { name: cc.name, version: cc.version, description: "chaincode as a service: see connection.json" };
    return tarGz([
        ["package.json", Buffer.from(JSON.stringify(pkg))],
        ["connection.json", connectionJson(cc)],
    ]);
}

/**
 * The id the peer knows the chaincode by, which its server must announce as CHAINCODE_ID: for the new
 * lifecycle `<label>:<sha256 of the package>`, for the legacy lifecycle `<name>:<version>`.
 */
export function packageId(cc: ChaincodeSpec): string {
    if (cc.lifecycle === "legacy") return `${cc.name}:${cc.version}`;
    return `${packageLabel(cc)}:${createHash("sha256").update(ccaasPackage(cc)).digest("hex")}`;
}
