/** Hosts and their credentials: names, addresses, the one local host, and one usable SSH key per remote host. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { CredentialKind, HostSpec } from "../spec";
import { Collector, HostRefs } from "./collector";
import { NAME_RE, isAddress, setSecretCommand } from "./values";

/** Which secret-bearing top-level keys Pulumi holds as secrets (from `pulumi.runtime.isConfigSecret`). */
export interface SecretKeys {
    readonly credentials: boolean;
    readonly registryAuth: boolean;
}

/**
 * Refuses credentials stored in plaintext. Runs before the schema: a plaintext key must be reported even if it is
 * also malformed.
 */
export function checkSecrecy(raw: Record<string, unknown>, secrets: SecretKeys, c: Collector): void {
    if (raw.credentials !== undefined && !secrets.credentials) {
        c.err(
            ["credentials"],
            "holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. " +
                setSecretCommand(`credentials.${firstKey(raw.credentials) ?? "<host>"}.privateKey`),
        );
    }
    if (raw.registryAuth !== undefined && !secrets.registryAuth) {
        c.err(
            ["registryAuth"],
            "holds the registry password in plaintext; set it as a secret: pulumi config set --secret --path 'registryAuth.password' <password>",
        );
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
        const credential = kind === "ssh" ? credentialOf(cfg, h.name, i, c) : "none";
        const workdir = h.workdir ?? DEFAULTS.host.workdir;
        if (!workdir.startsWith("/"))
            c.err(["hosts", i, "workdir"], `found ${show(workdir)}; allowed: an absolute path`);
        hosts.push({
            name: h.name,
            address: h.address,
            kind,
            sshPort: h.sshPort ?? DEFAULTS.host.sshPort,
            user: h.user ?? DEFAULTS.host.user,
            credential,
            workdir,
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
    for (const name of Object.keys(cfg.credentials ?? {})) {
        if (!hostIndex.has(name))
            c.err(["credentials", name], `names no host; allowed: ${[...hostIndex.keys()].join(", ")}`);
    }
    return { hosts, refs: new HostRefs(c, hostIndex) };
}

function credentialOf(cfg: RawConfig, host: string, i: number, c: Collector): CredentialKind {
    const cred = cfg.credentials?.[host];
    if (!cred || (!cred.privateKey && !cred.password)) {
        c.err(
            ["credentials", host],
            `host ${show(host)} (hosts[${i}]) has no credential; set its SSH private key as a secret: ${setSecretCommand(`credentials.${host}.privateKey`)}`,
        );
    } else if (cred.privateKey && cred.password) {
        c.err(
            ["credentials", host],
            "has both privateKey and password; allowed: exactly one (a private key is preferred)",
        );
    } else if (!cred.privateKey) {
        // Docker's ssh:// transport runs the ssh client non-interactively: it cannot answer a password prompt.
        c.err(
            ["credentials", host],
            `is a password; the Docker connection to host ${show(host)} needs key authentication. Install a public key on the host and set the private key instead: ${setSecretCommand(`credentials.${host}.privateKey`)}`,
        );
    } else return "privateKey";
    return "none";
}

/** Hosts left without a role are probably a typo elsewhere. */
export function warnIdleHosts(hosts: readonly HostSpec[], used: Iterable<string>, c: Collector): void {
    const set = new Set(used);
    hosts.filter((h) => !set.has(h.name)).forEach((h) => c.warn(`host ${h.name} runs no role`));
}
