import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HostCredential } from "../config/load";
import { HostSpec, ImageKey, NetworkSpec } from "../config/spec";
import { NETWORK_NAME, ProbeFailure, Step, probeCommand, sshCheckOptions, unreachableHostsMessage } from "../plan";

export interface HostArgs {
    readonly spec: HostSpec;
    readonly network: NetworkSpec;
    /** Required for hosts of kind "ssh". */
    readonly credential?: HostCredential;
    readonly registryAuth?: { readonly username: pulumi.Input<string>; readonly password: pulumi.Input<string> };
}

/** What a step on this host runs: the same shape for the operator's machine and a remote one. */
export interface HostCommandArgs {
    readonly create: pulumi.Input<string>;
    readonly update?: pulumi.Input<string>;
    readonly delete?: pulumi.Input<string>;
    readonly stdin?: pulumi.Input<string>;
    readonly triggers?: pulumi.Input<unknown[]>;
    /** The output can hold key material: keep it out of the logs and secret in the state. */
    readonly sensitive?: boolean;
}

/**
 * Directory holding the SSH private keys the Docker CLI needs as files (its `ssh://` transport cannot take a
 * key from memory). Owner-only, and stable per stack: `pulumi destroy` runs without the program and uses the
 * provider configuration saved in the state, which names these files.
 */
export function keyDir(): string {
    return path.join(os.homedir(), ".fabric-kafka", "keys", `${pulumi.getProject()}-${pulumi.getStack()}`);
}

/** Writes a host's key with mode 0600 in a 0700 directory; returns its path. Nothing is logged. */
function writeKeyFile(hostName: string, key: string): string {
    const dir = keyDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, `${hostName}.key`);
    const body = key.endsWith("\n") ? key : `${key}\n`;
    fs.writeFileSync(file, body, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
}

/** The plain value of a known Output (config values always are), for work done before any resource exists. */
function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => {
        pulumi.unsecret(o).apply((v) => {
            resolve(v);
            return v;
        });
    });
}

/**
 * Asks a host, over the SSH login its steps use, whether its Docker engine answers. Never rejects: a failure is
 * returned with the tail of what ssh or docker said, for the caller to report together with the others.
 */
export async function probeHost(
    h: HostSpec,
    ssh: NetworkSpec["ssh"],
    privateKey: pulumi.Output<string>,
): Promise<ProbeFailure | null> {
    const f = writeKeyFile(h.name, await valueOf(privateKey));
    return command.local.run({ command: probeCommand(h, ssh, f), interpreter: ["/bin/sh", "-c"] }).then(
        () => null,
        (e: unknown) => {
            const detail = String((e as Error)?.message ?? e)
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => l && !l.includes(f))
                .slice(-3)
                .join(" / ");
            return { host: h.name, detail: detail || "no answer" };
        },
    );
}

/**
 * Probes every SSH host of the network before the program registers anything: resolves once all answered,
 * rejects with one error (a RunError: no stack trace) naming every host that did not (address, what failed,
 * its steps). The program awaits it, so an unreachable host stops preview and up before any change anywhere.
 * (Thrown from inside an Output instead, the error left the engine waiting for the resources that depended on
 * it: the run never ended.)
 */
export async function checkReachable(
    spec: NetworkSpec,
    steps: readonly Step[],
    credentials: Readonly<Record<string, HostCredential | undefined>>,
): Promise<void> {
    const results = await Promise.all(
        spec.hosts
            .filter((h) => h.kind === "ssh" && credentials[h.name]?.privateKey)
            .map((h) => probeHost(h, spec.ssh, credentials[h.name]!.privateKey!)),
    );
    const down = results.filter((r): r is ProbeFailure => r !== null);
    if (down.length > 0) throw new pulumi.RunError(unreachableHostsMessage(spec, steps, down));
}

/**
 * One machine of the network: a Docker provider bound to its engine (over SSH, or the operator's own engine
 * for a local host), the SSH connection for its steps, its Docker network, and its images.
 */
export class Host extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly spec: HostSpec;
    public readonly provider: docker.Provider;
    public readonly network: docker.Network;
    /** `ssh://user@address:port`, or the local socket. */
    public readonly dockerHost: string;
    /** Path of the private key file, for hosts that use one. */
    public readonly keyFile?: pulumi.Output<string>;
    private readonly connection?: command.types.input.remote.ConnectionArgs;
    private readonly images = new Map<ImageKey, docker.RemoteImage>();
    private readonly imageRefs: Readonly<Record<ImageKey, { ref: string }>>;

    constructor(name: string, args: HostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:infra:Host", name, {}, opts);
        const h = args.spec;
        this.name = h.name;
        this.spec = h;
        this.imageRefs = args.network.images;

        let sshOpts: pulumi.Input<string[]> | undefined;
        if (h.kind === "local") {
            this.dockerHost = "unix:///var/run/docker.sock";
        } else {
            this.dockerHost = `ssh://${h.user}@${h.address}:${h.sshPort}`;
            const cred = args.credential;
            if (!cred?.privateKey && !cred?.password) {
                throw new Error(
                    `internal: host ${h.name} has no credential (config validation should have caught this)`,
                );
            }
            if (cred.privateKey) {
                const keyFile = cred.privateKey.apply((k) => writeKeyFile(h.name, k));
                // The path is not secret; only the key is.
                this.keyFile = pulumi.unsecret(keyFile);
                const known = args.network.ssh;
                sshOpts = this.keyFile.apply((f) => ["-i", f, ...sshCheckOptions(known)]);
            }
            this.connection = {
                host: h.address,
                port: h.sshPort,
                user: h.user,
                ...(cred.privateKey ? { privateKey: cred.privateKey } : { password: cred.password! }),
            };
        }

        this.provider = new docker.Provider(
            `${name}-docker`,
            {
                host: this.dockerHost,
                ...(sshOpts ? { sshOpts } : {}),
                ...(args.registryAuth && args.network.registry.prefix
                    ? {
                          registryAuth: [
                              {
                                  address: args.network.registry.prefix,
                                  username: args.registryAuth.username,
                                  password: args.registryAuth.password,
                              },
                          ],
                      }
                    : {}),
            },
            { parent: this },
        );

        this.network = new docker.Network(
            `${name}-network`,
            { name: NETWORK_NAME, driver: "bridge" },
            { parent: this, provider: this.provider },
        );
        this.registerOutputs({ dockerHost: this.dockerHost, network: this.network.name });
    }

    /** The image for `key` on this host, pulled once and kept on destroy (other stacks may use it). */
    image(key: ImageKey): docker.RemoteImage {
        let img = this.images.get(key);
        if (!img) {
            img = new docker.RemoteImage(
                `${this.name}-${key}-image`,
                { name: this.imageRefs[key].ref, keepLocally: true },
                { parent: this, provider: this.provider },
            );
            this.images.set(key, img);
        }
        return img;
    }

    /** A step on this host: `command.remote.Command` over SSH, or `command.local.Command` on a local host. */
    run(
        name: string,
        args: HostCommandArgs,
        opts: pulumi.CustomResourceOptions = {},
    ): command.local.Command | command.remote.Command {
        const common = {
            create: args.create,
            ...(args.update !== undefined ? { update: args.update } : {}),
            ...(args.delete !== undefined ? { delete: args.delete } : {}),
            ...(args.stdin !== undefined ? { stdin: args.stdin } : {}),
            ...(args.triggers !== undefined ? { triggers: args.triggers } : {}),
            ...(args.sensitive ? { logging: "stderr" as const } : {}),
        };
        const ropts: pulumi.CustomResourceOptions = {
            parent: this,
            ...opts,
            ...(args.sensitive ? { additionalSecretOutputs: ["stdout"] } : {}),
        };
        if (this.spec.kind === "local") {
            return new command.local.Command(name, { ...common, interpreter: ["/bin/sh", "-c"] }, ropts);
        }
        return new command.remote.Command(name, { ...common, connection: this.connection! }, ropts);
    }
}
