/**
 * Reads the material archives the crypto and artifact steps print (a gzipped tar, base64 on one line) into
 * memory, so that profiles and identities are assembled by pure functions from the files themselves instead of
 * by one more shell step per thing to extract.
 *
 * Only what GNU tar writes for `tar -cf` of plain files and directories is read: ustar headers, GNU long
 * names (`L`) and pax headers (`x`, for the path only). Anything else (links, devices) is skipped.
 */
import { gunzipSync } from "node:zlib";

/** Path (without a leading `./`) → contents, for the regular files of the archive. */
export type ArchiveFiles = ReadonlyMap<string, Buffer>;

const BLOCK = 512;

function field(b: Buffer, offset: number, length: number): string {
    const raw = b.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? raw.length : end).toString("utf8");
}

function octal(b: Buffer, offset: number, length: number, what: string): number {
    const text = field(b, offset, length).trim();
    if (!/^[0-7]*$/.test(text)) throw new Error(`material archive: bad ${what} field ${JSON.stringify(text)}`);
    return text === "" ? 0 : parseInt(text, 8);
}

function normalize(p: string): string {
    return p.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/** The `path` record of a pax extended header, if any. */
function paxPath(data: Buffer): string | undefined {
    let rest = data.toString("utf8");
    while (rest.length > 0) {
        const m = /^(\d+) /.exec(rest);
        if (!m) break;
        const len = Number(m[1]);
        const record = rest.slice(m[0].length, len - 1);
        const eq = record.indexOf("=");
        if (eq > 0 && record.slice(0, eq) === "path") return record.slice(eq + 1);
        rest = rest.slice(len);
    }
    return undefined;
}

/**
 * The regular files of an uncompressed tar. `keep` chooses by path before a file's content is copied out (the
 * certificate reader skips key files that way).
 */
export function readTar(tar: Buffer, keep: (path: string) => boolean = () => true): ArchiveFiles {
    const files = new Map<string, Buffer>();
    let offset = 0;
    let longName: string | undefined;
    while (offset + BLOCK <= tar.length) {
        const header = tar.subarray(offset, offset + BLOCK);
        if (header.every((x) => x === 0)) break;
        const size = octal(header, 124, 12, "size");
        const type = String.fromCharCode(header[156]!);
        // Only POSIX ustar has a prefix field there; GNU tar keeps other data at that offset.
        const posix = header.subarray(257, 263).toString("latin1") === "ustar\0";
        const prefix = posix ? field(header, 345, 155) : "";
        const name = field(header, 0, 100);
        const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
        if (data.length < size) throw new Error(`material archive: truncated at ${JSON.stringify(name)}`);
        offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
        if (type === "L") {
            longName = field(data, 0, data.length);
            continue;
        }
        if (type === "x") {
            longName = paxPath(data) ?? longName;
            continue;
        }
        const path = normalize(longName ?? (prefix ? `${prefix}/${name}` : name));
        longName = undefined;
        if ((type === "0" || type === "\0" || type === "7") && keep(path)) files.set(path, Buffer.from(data));
    }
    return files;
}

/** The files of a base64 gzipped tar, as the crypto and artifact steps print it. */
export function unpackArchive(base64: string): ArchiveFiles {
    const gz = Buffer.from(base64.trim(), "base64");
    if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) {
        throw new Error("material archive: not a base64 gzipped tar (the crypto step's output is malformed)");
    }
    return readTar(gunzipSync(gz));
}
