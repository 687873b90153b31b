/**
 * Certificate expiry, read from an archive packed the way the crypto step packs its material (GNU tar, with
 * paths longer than 100 characters as cryptogen's are), with certificates and keys made by openssl.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { archiveCertificateExpiries, certificateFiles, expiryWarnings } from "../../plan";

const ORG = "crypto-config/peerOrganizations/org1.example.com";
const PEER = `${ORG}/peers/peer0.org1.example.com`;

let dir: string;
let caKey: string;
/** base64 of a gzipped tar of `dir/tree`, in the given tar format. */
const pack = (format: "gnu" | "pax" | "ustar") =>
    execFileSync(
        "sh",
        ["-c", `tar --format=${format} --sort=name --mtime=@0 --owner=0 --group=0 -cf - . | gzip -n | base64 -w0`],
        { cwd: path.join(dir, "tree"), encoding: "utf8" },
    );

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-certs-"));
    const put = (rel: string, content: string | Buffer) => {
        fs.mkdirSync(path.dirname(path.join(dir, "tree", rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, "tree", rel), content);
    };
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    const cert = (cn: string, days: number) => {
        openssl(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            `${cn}.key`,
            "-out",
            `${cn}.pem`,
            "-days",
            String(days),
            "-subj",
            `/C=US/O=org1.example.com/CN=${cn}`,
        );
        return {
            pem: fs.readFileSync(path.join(dir, `${cn}.pem`), "utf8"),
            key: fs.readFileSync(path.join(dir, `${cn}.key`), "utf8"),
        };
    };
    const ca = cert("ca.org1.example.com", 3650);
    const peer = cert("peer0.org1.example.com", 10);
    caKey = ca.key;
    // The CA certificate in three MSP folders, as cryptogen copies it.
    put(`${ORG}/ca/ca.org1.example.com-cert.pem`, ca.pem);
    put(`${ORG}/msp/cacerts/ca.org1.example.com-cert.pem`, ca.pem);
    put(`${PEER}/msp/cacerts/ca.org1.example.com-cert.pem`, ca.pem);
    put(`${PEER}/msp/signcerts/peer0.org1.example.com-cert.pem`, peer.pem);
    put(`${PEER}/tls/server.crt`, peer.pem);
    // Keys under the names cryptogen gives them; a key file must never be read.
    put(`${ORG}/ca/priv_sk`, ca.key);
    put(`${PEER}/msp/keystore/priv_sk`, peer.key);
    put(`${PEER}/tls/server.key`, peer.key);
    put(`${PEER}/msp/config.yaml`, "NodeOUs:\n  Enable: true\n");
    put("identities", "peer peer0.org1.example.com\n");
});

describe("certificate expiry of the crypto material", () => {
    it("finds every certificate file and no key file, whatever the tar format", () => {
        expect(PEER.length + "/msp/signcerts/peer0.org1.example.com-cert.pem".length).toBeGreaterThan(100);
        for (const format of ["gnu", "pax", "ustar"] as const) {
            const files = certificateFiles(Buffer.from(pack(format), "base64"));
            expect(files.map((f) => f.path).sort()).toEqual(
                [
                    `${ORG}/ca/ca.org1.example.com-cert.pem`,
                    `${ORG}/msp/cacerts/ca.org1.example.com-cert.pem`,
                    `${PEER}/msp/cacerts/ca.org1.example.com-cert.pem`,
                    `${PEER}/msp/signcerts/peer0.org1.example.com-cert.pem`,
                    `${PEER}/tls/server.crt`,
                ].sort(),
            );
            for (const f of files) expect(f.pem).not.toContain("PRIVATE KEY");
        }
    });

    it("lists each distinct certificate once, by its first path, with subject and expiry, soonest first", () => {
        const now = Date.now();
        const certs = archiveCertificateExpiries(pack("gnu"));
        expect(certs.map((c) => c.path)).toEqual([
            `${PEER}/msp/signcerts/peer0.org1.example.com-cert.pem`,
            `${ORG}/ca/ca.org1.example.com-cert.pem`,
        ]);
        expect(certs[0]!.subject).toBe("C=US, O=org1.example.com, CN=peer0.org1.example.com");
        const days = (iso: string) => (Date.parse(iso) - now) / 86_400_000;
        expect(days(certs[0]!.notAfter)).toBeGreaterThan(9);
        expect(days(certs[0]!.notAfter)).toBeLessThanOrEqual(10);
        expect(days(certs[1]!.notAfter)).toBeGreaterThan(3649);
        // Nothing of a key reaches the result.
        const body = caKey.split("\n").find((l) => l.length > 40)!;
        expect(JSON.stringify(certs)).not.toContain(body);
        expect(JSON.stringify(certs)).not.toContain("PRIVATE");
    });

    it("warns about certificates within the window, and says when one has expired", () => {
        const certs = archiveCertificateExpiries(pack("gnu"));
        const now = new Date();
        expect(expiryWarnings(certs, now, 5)).toEqual([]);
        const soon = expiryWarnings(certs, now, 30);
        expect(soon).toHaveLength(1);
        expect(soon[0]).toMatch(
            /^certificate crypto-config\/peerOrganizations\/org1\.example\.com\/peers\/peer0\.org1\.example\.com\/msp\/signcerts\/peer0\.org1\.example\.com-cert\.pem \(C=US, O=org1\.example\.com, CN=peer0\.org1\.example\.com\) expires on \d{4}-\d\d-\d\dT[\d:.]+Z, within 30 days \(network\.certificateExpiryWarningDays\): renew it before then$/,
        );
        expect(expiryWarnings(certs, now, 3651)).toHaveLength(2);
        const later = new Date(now.getTime() + 20 * 86_400_000);
        expect(expiryWarnings(certs, later, 0)).toEqual([
            expect.stringMatching(
                /peer0\.org1\.example\.com-cert\.pem \(.*\) expired on .*: nodes and clients holding it are refused$/,
            ),
        ]);
    });

    it("reads nothing from an empty archive and refuses one that is not gzip", () => {
        expect(archiveCertificateExpiries("")).toEqual([]);
        expect(() => archiveCertificateExpiries(Buffer.from("not an archive").toString("base64"))).toThrow();
    });
});
