/**
 * When the crypto material's certificates expire. Cryptogen signs every CA and node certificate for a fixed
 * span; once one lapses, the node or client holding it is refused, so the operator needs the dates ahead of
 * time. Pure functions over the crypto step's archive (a gzipped tar): only certificate files are read, and
 * only their subject and validity end leave this module, never a key or a certificate body.
 */
import { X509Certificate } from "node:crypto";
import { gunzipSync } from "node:zlib";

export interface CertificateExpiry {
    /** Path of the first file (in name order) holding this certificate, relative to the material's root. */
    readonly path: string;
    readonly subject: string;
    /** Validity end, ISO 8601 (UTC). */
    readonly notAfter: string;
}

/** File names that hold private keys in cryptogen's output: skipped without being looked at. */
const KEY_FILE = /(^|\/)(keystore\/[^/]*|priv_sk|[^/]*\.key)$/;
const CERT_FILE = /\.(pem|crt)$/;

/**
 * The certificate files of a gzipped tar (GNU or ustar/pax names), as (path, text) in archive order. Files
 * that can hold private keys are skipped by name before their content is touched.
 */
export function certificateFiles(tgz: Buffer): Array<{ path: string; pem: string }> {
    const tar = gunzipSync(tgz);
    const out: Array<{ path: string; pem: string }> = [];
    const text = (b: Buffer) => b.toString("utf8").replace(/\0.*$/s, "");
    let longName: string | null = null;
    for (let off = 0; off + 512 <= tar.length;) {
        const header = tar.subarray(off, off + 512);
        if (header.every((b) => b === 0)) break;
        const size = parseInt(text(header.subarray(124, 136)).trim() || "0", 8);
        const type = String.fromCharCode(header[156]!);
        const body = tar.subarray(off + 512, off + 512 + size);
        off += 512 + Math.ceil(size / 512) * 512;
        if (type === "L") {
            longName = text(body);
            continue;
        }
        if (type === "x") {
            longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1] ?? longName;
            continue;
        }
        let name = text(header.subarray(0, 100));
        // ustar (not GNU) keeps the leading part of a long name in the prefix field.
        if (header.subarray(257, 263).toString("latin1") === "ustar\0") {
            const prefix = text(header.subarray(345, 500));
            if (prefix) name = `${prefix}/${name}`;
        }
        if (longName !== null) name = longName;
        longName = null;
        if (type !== "0" && type !== "\0") continue;
        const path = name.replace(/^\.\//, "");
        if (KEY_FILE.test(path) || !CERT_FILE.test(path)) continue;
        out.push({ path, pem: body.toString("utf8") });
    }
    return out;
}

/**
 * One entry per distinct certificate (the same CA certificate is copied into many MSP folders), sorted by
 * expiry then path. Anything that is not a PEM certificate is ignored.
 */
export function certificateExpiries(files: ReadonlyArray<{ path: string; pem: string }>): CertificateExpiry[] {
    const seen = new Map<string, CertificateExpiry>();
    for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
        if (!f.pem.includes("-----BEGIN CERTIFICATE-----")) continue;
        let cert: X509Certificate;
        try {
            cert = new X509Certificate(f.pem);
        } catch {
            continue;
        }
        if (seen.has(cert.fingerprint256)) continue;
        seen.set(cert.fingerprint256, {
            path: f.path,
            subject: cert.subject.split("\n").join(", "),
            notAfter: new Date(cert.validTo).toISOString(),
        });
    }
    return [...seen.values()].sort((a, b) => a.notAfter.localeCompare(b.notAfter) || a.path.localeCompare(b.path));
}

/** The crypto step's output (base64 of a gzipped tar) → its certificates' expiry dates. */
export function archiveCertificateExpiries(archiveBase64: string): CertificateExpiry[] {
    if (!archiveBase64) return [];
    return certificateExpiries(certificateFiles(Buffer.from(archiveBase64, "base64")));
}

/** One warning per certificate that has expired or expires within `days` days of `now`. */
export function expiryWarnings(certs: readonly CertificateExpiry[], now: Date, days: number): string[] {
    const limit = now.getTime() + days * 24 * 60 * 60 * 1000;
    return certs
        .filter((c) => Date.parse(c.notAfter) <= limit)
        .map((c) =>
            Date.parse(c.notAfter) <= now.getTime()
                ? `certificate ${c.path} (${c.subject}) expired on ${c.notAfter}: nodes and clients holding it are refused`
                : `certificate ${c.path} (${c.subject}) expires on ${c.notAfter}, within ${days} days ` +
                  `(network.certificateExpiryWarningDays): renew it before then`,
        );
}
