/**
 * Hosts and their credentials: names, addresses, SSH users and workdirs, the one local host, and one usable SSH
 * key per remote host (its own entry in `credentials`, or the shared `defaultCredential`), each a secret of its
 * own.
 */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { CredentialKind, HostSpec } from "../spec";
import { didYouMean, closest } from "../suggest";
import { Collector, HostRefs, Path } from "./collector";
import { NAME_RE, isAddress, setSecretCommand } from "./values";

/**
 * Which config values Pulumi holds as secrets. The engine tells the program per top-level key only (a key is
 * secret when anything in it is); where the stack file tells more, `isSecretPath` answers per value:
 * true/false, or undefined when the file does not hold that value.
 */
export interface SecretKeys {
    readonly credentials: boolean;
    readonly registryAuth: boolean;
    readonly defaultCredential?: boolean;
    readonly isSecretPath?: (path: readonly string[]) => boolean | undefined;
}

// A POSIX user name as useradd accepts it by default (the portable set): it becomes `ssh -l <user>` and the
// user part of Docker's ssh:// URL, so nothing that could read as an option or a separator gets through.
const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
// An absolute path of plain segments: the workdir is created, unpacked into and removed by scripts on the host.
const WORKDIR_RE = /^(\/[A-Za-z0-9._-]+)+\/?$/;

function registrySecretCommand(): string {
    return "pulumi config set --secret --path 'registryAuth.password' <password>";
}

/**
 * Refuses credentials stored in plaintext: a whole key not secret (one error), or, when the stack file shows
 * which values are secret, each value that is not. Runs before the schema: a plaintext key must be reported
 * even if it is also malformed.
 */
export function checkSecrecy(raw: Record<string, unknown>, secrets: SecretKeys, c: Collector): void {
    const leaves = (path: string[], value: unknown, fields: readonly string[]) => {
        if (!value || typeof value !== "object") return;
        for (const f of fields) {
            const v = (value as Record<string, unknown>)[f];
            if (typeof v === "string" && secrets.isSecretPath?.([...path, f]) === false) {
                const command =
                    path[0] === "registryAuth" ? registrySecretCommand() : setSecretCommand([...path, f].join("."));
                c.err(
                    [...path, f],
                    `is stored in plaintext in the stack file (other values under ${DEFAULTS.namespace}:${path[0]} are secrets, so Pulumi marks the whole key secret and cannot tell); set this one as a secret too: ${command}`,
                );
            }
        }
    };
    if (raw.credentials !== undefined) {
        if (!secrets.credentials) {
            c.err(
                ["credentials"],
                "holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. " +
                    setSecretCommand(`credentials.${firstKey(raw.credentials) ?? "<host>"}.privateKey`),
            );
        } else if (raw.credentials && typeof raw.credentials === "object") {
            for (const [host, cred] of Object.entries(raw.credentials)) {
                leaves(["credentials", host], cred, ["privateKey", "password"]);
            }
        }
    }
    if (raw.defaultCredential !== undefined) {
        if (!secrets.defaultCredential) {
            c.err(
                ["defaultCredential"],
                `holds the default SSH key in plaintext; set it as a secret and remove the plaintext value: ${setSecretCommand("defaultCredential.privateKey")}`,
            );
        } else leaves(["defaultCredential"], raw.defaultCredential, ["privateKey", "password"]);
    }
    if (raw.registryAuth !== undefined) {
        if (!secrets.registryAuth) {
            c.err(
                ["registryAuth"],
                `holds the registry password in plaintext; set it as a secret: ${registrySecretCommand()}`,
            );
        } else leaves(["registryAuth"], raw.registryAuth, ["password"]);
    }
}

function firstKey(value: unknown): string | undefined {
    return value && typeof value === "object" ? Object.keys(value)[0] : undefined;
}

export function normalizeHosts(cfg: RawConfig, c: Collector): { hosts: HostSpec[]; refs: HostRefs } {
    const hosts: HostSpec[] = [];
    const hostIndex = new Map<string, number>();
    const addressIndex = new Map<string, number>();
    cfg.hosts.forEach((h, i) => {
        if (!NAME_RE.test(h.name)) {
            c.err(
                ["hosts", i, "name"],
                `found ${show(h.name)}; allowed: lower-case letters, digits and '-', 1-63 characters`,
            );
        }
        const prev = hostIndex.get(h.name);
        if (prev !== undefined)
            c.err(["hosts", i, "name"], `duplicate host name ${show(h.name)}, already used by hosts[${prev}]`);
        else hostIndex.set(h.name, i);
        const kind = h.kind ?? DEFAULTS.host.kind;
        if (!isAddress(h.address)) {
            c.err(
                ["hosts", i, "address"],
                `found ${show(h.address)}; allowed: an IPv4 address (e.g. 192.0.2.11) or a DNS name`,
            );
        } else if (kind === "ssh") {
            // Local hosts all share the operator's engine, so only remote hosts need distinct addresses.
            const prevA = addressIndex.get(h.address);
            if (prevA !== undefined) {
                c.err(
                    ["hosts", i, "address"],
                    `duplicate address ${show(h.address)}, already used by hosts[${prevA}] (${cfg.hosts[prevA]!.name}); two roles on one machine share one host entry`,
                );
            } else addressIndex.set(h.address, i);
        }
        const user = h.user ?? DEFAULTS.host.user;
        if (!USER_RE.test(user)) {
            c.err(
                ["hosts", i, "user"],
                `found ${show(user)}; allowed: a POSIX user name (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters)`,
            );
        }
        const workdir = h.workdir ?? DEFAULTS.host.workdir;
        if (!WORKDIR_RE.test(workdir) || workdir.split("/").some((seg) => seg === "." || seg === "..")) {
            c.err(
                ["hosts", i, "workdir"],
                `found ${show(workdir)}; allowed: an absolute path below / made of letters, digits, '.', '_', '-' and '/' (no '.' or '..' segments), e.g. ${DEFAULTS.host.workdir}`,
            );
        }
        hosts.push({
            name: h.name,
            address: h.address,
            kind,
            sshPort: h.sshPort ?? DEFAULTS.host.sshPort,
            user,
            credential: "none",
            workdir: workdir.replace(/\/+$/, ""),
        });
    });
    const locals = hosts.filter((h) => h.kind === "local");
    if (locals.length > 1) {
        // Two "local" hosts would be the same engine under two names: containers and networks would collide.
        c.err(
            ["hosts", cfg.hosts.findIndex((h) => h.name === locals[1]!.name), "kind"],
            `${show(locals[1]!.name)} is a second local host (the first is ${show(locals[0]!.name)}); allowed: one local host, with every local role on it`,
        );
    }
    const credentials = resolveCredentials(cfg, hosts, c);
    return {
        hosts: hosts.map((h) => ({ ...h, credential: credentials.get(h.name) ?? "none" })),
        refs: new HostRefs(c, hostIndex),
    };
}

/**
 * Which credential each ssh host uses (its own, else the default) and whether it is usable. Every mistake is
 * reported once at the key that holds it: a misspelt host name in `credentials` is one error naming the typo,
 * not also a "no credential" error for the host it was meant for.
 */
function resolveCredentials(cfg: RawConfig, hosts: readonly HostSpec[], c: Collector): Map<string, CredentialKind> {
    const own = cfg.credentials ?? {};
    const names = hosts.map((h) => h.name);
    const sshHosts = hosts.filter((h) => h.kind === "ssh");
    const meant = new Set<string>();
    for (const name of Object.keys(own)) {
        if (names.includes(name)) continue;
        const near = closest(name, names);
        if (near !== undefined) meant.add(near);
        c.err(
            ["credentials", name],
            `names no host;${didYouMean(name, names)} allowed: ${names.join(", ")}${cfg.defaultCredential ? " (a misspelt entry would leave its host on defaultCredential)" : ""}`,
        );
    }

    const def = cfg.defaultCredential;
    const defOk = def ? checkCredential(c, ["defaultCredential"], def, "every ssh host without its own entry") : false;
    if (def && sshHosts.length === 0) {
        c.warn("defaultCredential is set but no host is of kind ssh: nothing uses it");
    }

    const out = new Map<string, CredentialKind>();
    const missing: HostSpec[] = [];
    for (const h of sshHosts) {
        const mine = own[h.name];
        if (mine) {
            if (checkCredential(c, ["credentials", h.name], mine, `host ${show(h.name)}`))
                out.set(h.name, "privateKey");
        } else if (def) {
            if (defOk) out.set(h.name, "privateKey");
        } else if (!meant.has(h.name)) missing.push(h);
    }
    if (missing.length > 0 && missing.length === sshHosts.length && sshHosts.length > 1) {
        c.err(
            ["defaultCredential"],
            `is not set and no ssh host has a credential of its own (${missing.length} hosts: ${missing.map((h) => h.name).join(", ")}); set one SSH private key shared by all of them: ${setSecretCommand("defaultCredential.privateKey")} (a host with another key gets its own entry: credentials.<host>.privateKey)`,
        );
    } else {
        for (const h of missing) {
            c.err(
                ["credentials", h.name],
                `host ${show(h.name)} (hosts[${names.indexOf(h.name)}]) has no credential and no defaultCredential is set; set its SSH private key as a secret: ${setSecretCommand(`credentials.${h.name}.privateKey`)}`,
            );
        }
    }
    return out;
}

/** Checks one credential entry; true when it is a usable private key. Never quotes the secret itself. */
function checkCredential(
    c: Collector,
    path: Path,
    cred: { privateKey?: string | undefined; password?: string | undefined },
    forWhom: string,
): boolean {
    const dotted = path.join(".");
    if (cred.privateKey && cred.password) {
        c.err(path, "has both privateKey and password; allowed: exactly one (a private key is preferred)");
        return false;
    }
    if (!cred.privateKey) {
        // Docker's ssh:// transport runs the ssh client non-interactively: it cannot answer a password prompt.
        c.err(
            path,
            cred.password
                ? `is a password; the Docker connection to ${forWhom} needs key authentication. Install a public key on the host and set the private key instead: ${setSecretCommand(`${dotted}.privateKey`)}`
                : `is empty; allowed: privateKey (an SSH private key), set with ${setSecretCommand(`${dotted}.privateKey`)}`,
        );
        return false;
    }
    const problem = privateKeyProblem(cred.privateKey);
    if (problem) {
        c.err([...path, "privateKey"], `${problem}; set it with ${setSecretCommand(`${dotted}.privateKey`)}`);
        return false;
    }
    return true;
}

/**
 * What is wrong with a private key, or undefined. Only the shape is read (never echoed): a PEM block of a
 * private key, not a public key or a file name, and not protected by a passphrase (nothing could type it).
 */
export function privateKeyProblem(key: string): string | undefined {
    const text = key.trim();
    if (/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-\S+|sk-\S+) /.test(text)) {
        return "is a public key (one line starting with the key type); allowed: the private key file's content";
    }
    const m =
        /^-----BEGIN ((?:OPENSSH |RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----\r?\n([\s\S]*?)\r?\n-----END \1-----$/.exec(
            text,
        );
    if (!m) {
        return "is not a PEM private key (the file's content, from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----; a file name or a password is not one)";
    }
    const [, type, body] = m;
    const encrypted =
        "is protected by a passphrase, which nothing can type during a deployment; allowed: an unencrypted key (ssh-keygen -p -N '' -f <file> removes the passphrase of a copy)";
    if (type === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(body!)) return encrypted;
    if (type === "OPENSSH PRIVATE KEY") {
        const bytes = Buffer.from(body!.replace(/\s+/g, ""), "base64");
        const magic = "openssh-key-v1\0";
        if (bytes.subarray(0, magic.length).toString("latin1") !== magic || bytes.length < magic.length + 4) {
            return "is not a readable OpenSSH private key (its body does not start with openssh-key-v1)";
        }
        const len = bytes.readUInt32BE(magic.length);
        const cipher = bytes.subarray(magic.length + 4, magic.length + 4 + len).toString("latin1");
        if (cipher !== "none") return encrypted;
    }
    return undefined;
}

/**
 * A private key of the right shape holding no key material, for tools that validate a stack's settings without
 * deploying it (e.g. the topology diagram) and so never hold the real keys. It opens nothing.
 */
export function placeholderPrivateKey(): string {
    const magic = Buffer.from("openssh-key-v1\0", "latin1");
    const len = Buffer.alloc(4);
    len.writeUInt32BE(4);
    const body = Buffer.concat([magic, len, Buffer.from("none placeholder, not a key", "latin1")]).toString("base64");
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** Hosts left without a role are probably a typo elsewhere. */
export function warnIdleHosts(hosts: readonly HostSpec[], used: Iterable<string>, c: Collector): void {
    const set = new Set(used);
    hosts.filter((h) => !set.has(h.name)).forEach((h) => c.warn(`host ${h.name} runs no role`));
}
