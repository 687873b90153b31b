/**
 * The credential rules against real keys from ssh-keygen (the shapes operators have), per-value secretness read
 * from a stack file as `pulumi config set --path` writes it, and the did-you-mean distance.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { placeholderPrivateKey } from "../../config";
import { fromZodIssues } from "../../config/errors";
import { nearMissNamespaces, namespaceValues, stackFileSecrecy } from "../../config/stackFile";
import { closest, editDistance } from "../../config/suggest";
import { privateKeyProblem } from "../../config/validate/hosts";

function keygen(args: string[]): { priv: string; pub: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-keys-"));
    const file = path.join(dir, "key");
    execFileSync("ssh-keygen", ["-q", "-f", file, "-C", "test", ...args]);
    return { priv: fs.readFileSync(file, "utf8"), pub: fs.readFileSync(`${file}.pub`, "utf8") };
}

describe("private keys as ssh-keygen writes them", () => {
    it("accepts unencrypted ed25519, RSA (OpenSSH and PEM) and ECDSA keys", () => {
        for (const args of [
            ["-t", "ed25519", "-N", ""],
            ["-t", "rsa", "-b", "2048", "-N", ""],
            ["-t", "rsa", "-b", "2048", "-m", "PEM", "-N", ""],
            ["-t", "ecdsa", "-N", ""],
        ]) {
            expect(privateKeyProblem(keygen(args).priv), args.join(" ")).toBeUndefined();
        }
        expect(privateKeyProblem(placeholderPrivateKey())).toBeUndefined();
    });

    it("refuses passphrase-protected keys in both formats, and the public half", () => {
        const enc =
            "is protected by a passphrase, which nothing can type during a deployment; allowed: an unencrypted key (ssh-keygen -p -N '' -f <file> removes the passphrase of a copy)";
        const ed = keygen(["-t", "ed25519", "-N", "a passphrase"]);
        expect(privateKeyProblem(ed.priv)).toBe(enc);
        expect(privateKeyProblem(keygen(["-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "a passphrase"]).priv)).toBe(
            enc,
        );
        expect(privateKeyProblem(ed.pub)).toBe(
            "is a public key (one line starting with the key type); allowed: the private key file's content",
        );
    });
});

describe("private keys in the other shapes operators meet", () => {
    const publicKey = "is a public key (one line starting with the key type); allowed: the private key file's content";
    const notPem =
        "is not a PEM private key (the file's content, from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----; a file name or a password is not one)";

    it("accepts an unencrypted PKCS#8 key and refuses an encrypted one", () => {
        const plain = keygen(["-t", "ecdsa", "-m", "PKCS8", "-N", ""]).priv;
        expect(plain).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
        expect(privateKeyProblem(plain)).toBeUndefined();
        const enc = keygen(["-t", "ecdsa", "-m", "PKCS8", "-N", "a passphrase"]).priv;
        expect(enc).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
        expect(privateKeyProblem(enc)).toMatch(/^is protected by a passphrase/);
    });

    it("knows every public key type by its first word, and only there", () => {
        expect(privateKeyProblem(keygen(["-t", "ecdsa", "-N", ""]).pub)).toBe(publicKey);
        expect(privateKeyProblem(keygen(["-t", "rsa", "-b", "2048", "-N", ""]).pub)).toBe(publicKey);
        expect(privateKeyProblem("sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t test")).toBe(
            publicKey,
        );
        expect(privateKeyProblem("ecdsa-sha2-nistp384 AAAAE2VjZHNh test")).toBe(publicKey);
        // A key type further on is no public key line: just not a private key.
        expect(privateKeyProblem("my key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 test")).toBe(notPem);
    });

    it("wants the PEM block alone: nothing before its BEGIN line", () => {
        const priv = keygen(["-t", "ed25519", "-N", ""]).priv;
        expect(privateKeyProblem(priv.replace(/\n/g, "\r\n"))).toBeUndefined();
        expect(privateKeyProblem(`key for kafka1\n${priv}`)).toBe(notPem);
    });
});

describe("secretness per value, from the stack file", () => {
    const doc = {
        config: {
            "fabric-kafka:credentials": {
                kafka1: { privateKey: { secure: "v1:abc" } },
                kafka2: { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n..." },
            },
            "fabric-kafka:defaultCredential": { secure: "v1:whole-object" },
            "fabric-kafka:hosts": "[]",
        },
    };
    const isSecret = stackFileSecrecy(doc);

    it("tells a value set with --secret from one set without", () => {
        expect(isSecret(["credentials", "kafka1", "privateKey"])).toBe(true);
        expect(isSecret(["credentials", "kafka2", "privateKey"])).toBe(false);
    });

    it("takes a whole key set with --secret (no --path) as secret all through", () => {
        expect(isSecret(["defaultCredential", "privateKey"])).toBe(true);
    });

    it("does not guess about values the file does not hold", () => {
        expect(isSecret(["credentials", "kafka3", "privateKey"])).toBeUndefined();
        expect(isSecret(["registryAuth", "password"])).toBeUndefined();
        expect(stackFileSecrecy(null)(["credentials", "kafka1", "privateKey"])).toBeUndefined();
    });
});

describe("secretness per value, edge cases of the stack file", () => {
    const isSecret = stackFileSecrecy({
        config: {
            "fabric-kafka:credentials": {
                kafka1: { privateKey: { secure: "v1:abc" } },
                kafka3: null,
                kafka4: { privateKey: { secure: "v1:abc", note: "not a secure value: two keys" } },
            },
            "fabric-kafka:registryAuth": { username: "ops", password: 12345, token: true },
            "fabric-kafka:hosts": "[]",
        },
    });

    it("takes numbers and booleans written in the file as plaintext", () => {
        expect(isSecret(["registryAuth", "password"])).toBe(false);
        expect(isSecret(["registryAuth", "token"])).toBe(false);
        expect(isSecret(["registryAuth", "username"])).toBe(false);
    });

    it("knows nothing of a map, a null, a map that only looks secure, or a path into a plain string", () => {
        expect(isSecret(["credentials", "kafka1"])).toBeUndefined();
        expect(isSecret(["credentials", "kafka3", "privateKey"])).toBeUndefined();
        expect(isSecret(["credentials", "kafka4", "privateKey"])).toBeUndefined();
        expect(isSecret(["hosts", "0"])).toBeUndefined();
    });
});

describe("reading the namespace", () => {
    it("parses every key of the namespace and keeps the others aside", () => {
        const { raw, foreignKeys } = namespaceValues({
            "fabric-kafka:hosts": '[{"name":"a"}]',
            "fabric-kafka:chaincode": "[]",
            "fabric-kafka:note": "plain text",
            "pulumi:disable-default-providers": '["docker"]',
            "fabric-kafak:images": "{}",
            "fabric-kf:hosts": "[]",
            "fabric-k:hosts": "[]",
        });
        expect(raw).toEqual({ hosts: [{ name: "a" }], chaincode: [], note: "plain text" });
        expect(foreignKeys).toEqual([
            "pulumi:disable-default-providers",
            "fabric-kafak:images",
            "fabric-kf:hosts",
            "fabric-k:hosts",
        ]);
        // Three edits from the namespace at most.
        expect(nearMissNamespaces(foreignKeys)).toEqual(["fabric-kafak:images", "fabric-kf:hosts"]);
    });
});

describe("did you mean", () => {
    it("measures swaps as one edit", () => {
        expect(editDistance("kafak1", "kafka1")).toBe(1);
        expect(editDistance("chaincode", "chaincodes")).toBe(1);
        expect(editDistance("", "abc")).toBe(3);
    });

    it("suggests only close words, case differences first", () => {
        expect(closest("privatekey", ["privateKey", "password"])).toBe("privateKey");
        expect(closest("monitoring", ["network", "hosts", "images"])).toBeUndefined();
        expect(closest("ab", ["xy"])).toBeUndefined();
    });
});

describe("zod issues without a dedicated message", () => {
    it("still name the value found", () => {
        const schema = z.object({ code: z.string().regex(/^[a-z]+$/) });
        const parsed = schema.safeParse({ code: "ABC" });
        expect(parsed.success).toBe(false);
        const [issue] = fromZodIssues(schema, { code: "ABC" }, parsed.error!.issues);
        expect(issue!.path).toBe("fabric-kafka:code");
        expect(issue!.message).toMatch(/\(found "ABC"\)$/);
    });
});
