/**
 * When the crypto material's certificates expire. Cryptogen signs every CA and node certificate for a fixed
 * span; once one lapses, the node or client holding it is refused, so the operator needs the dates ahead of
 * time. Pure functions over the crypto step's archive (a gzipped tar): only certificate files are read, and
 * only their subject and validity end leave this module, never a key or a certificate body.
 */
import { X509Certificate } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { readTar } from "./archive";

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
    const files = readTar(gunzipSync(tgz), (path) => !KEY_FILE.test(path) && CERT_FILE.test(path));
    return [...files].map(([path, body]) => ({ path, pem: body.toString("utf8") }));
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
