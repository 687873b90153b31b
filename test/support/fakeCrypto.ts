/**
 * A stand-in for cryptogen's output under mocks: the tree it would write for a crypto-config.yaml (TLS CA
 * certificates, client users' certificates and keys), with placeholder contents that name the file, packed the
 * way the crypto step prints it (base64 of a gzipped tar, GNU long names). Only the files the program reads back
 * from the material are made.
 */
import { gzipSync } from "node:zlib";
import * as yaml from "js-yaml";

/** A GNU tar of the given files (long names as `L` entries, as GNU tar writes names over 100 bytes). */
export function gnuTar(files: ReadonlyArray<[string, string]>): Buffer {
    const blocks: Buffer[] = [];
    const header = (name: string, size: number, type: string) => {
        const h = Buffer.alloc(512);
        h.write(name.slice(0, 99), 0, "utf8");
        h.write("0000644\0", 100);
        h.write("0000000\0", 108);
        h.write("0000000\0", 116);
        h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
        h.write("00000000000\0", 136);
        h.write("        ", 148);
        h.write(type, 156);
        h.write("ustar  \0", 257);
        let sum = 0;
        for (const b of h) sum += b;
        h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
        return h;
    };
    const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
    for (const [name, content] of files) {
        const body = Buffer.from(content, "utf8");
        if (Buffer.byteLength(name) > 99) {
            const long = Buffer.from(`${name}\0`, "utf8");
            blocks.push(header("././@LongLink", long.length, "L"), pad(long));
        }
        blocks.push(header(name, body.length, "0"), pad(body));
    }
    blocks.push(Buffer.alloc(1024));
    return Buffer.concat(blocks);
}

interface CryptoConfig {
    OrdererOrgs: Array<{ Domain: string }>;
    PeerOrgs: Array<{ Domain: string; Users?: { Count?: number } }>;
}

/** The files the program reads from cryptogen's output for this crypto-config.yaml. */
export function fakeCryptoFiles(cryptoConfigYaml: string): Array<[string, string]> {
    const cfg = yaml.load(cryptoConfigYaml) as CryptoConfig;
    const pem = (what: string) => `-----BEGIN FAKE-----\n${what}\n-----END FAKE-----\n`;
    const files: Array<[string, string]> = [];
    for (const o of cfg.OrdererOrgs) {
        const d = o.Domain;
        files.push([`./crypto-config/ordererOrganizations/${d}/tlsca/tlsca.${d}-cert.pem`, pem(`tlsca ${d}`)]);
    }
    for (const o of cfg.PeerOrgs) {
        const d = o.Domain;
        files.push([`./crypto-config/peerOrganizations/${d}/tlsca/tlsca.${d}-cert.pem`, pem(`tlsca ${d}`)]);
        for (let i = 1; i <= (o.Users?.Count ?? 0); i++) {
            const msp = `./crypto-config/peerOrganizations/${d}/users/User${i}@${d}/msp`;
            files.push([`${msp}/signcerts/User${i}@${d}-cert.pem`, pem(`cert User${i}@${d}`)]);
            files.push([`${msp}/keystore/priv_sk`, pem(`key User${i}@${d}`)]);
        }
    }
    return files;
}

/** What the crypto step prints for this crypto-config.yaml. */
export function fakeCryptoArchive(cryptoConfigYaml: string): string {
    return gzipSync(gnuTar(fakeCryptoFiles(cryptoConfigYaml))).toString("base64");
}

/**
 * What the artifacts step prints for this configtx.yaml, as far as the program reads it back: each peer org's
 * group as `configtxgen -printOrg` would print it (a placeholder naming the MSP).
 */
export function fakeArtifactsArchive(configtxYaml: string): string {
    const doc = yaml.load(configtxYaml) as { Organizations: Array<{ ID: string }> };
    const files: Array<[string, string]> = doc.Organizations.map((o) => [
        `./artifacts/orgs/${o.ID}.json`,
        JSON.stringify({ mod_policy: "Admins", values: { MSP: { value: { config: { name: o.ID } } } } }),
    ]);
    return gzipSync(gnuTar(files)).toString("base64");
}
