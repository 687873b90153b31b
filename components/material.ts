/**
 * Crypto material and channel artifacts as tracked steps on the operator's machine, and their delivery:
 * each host receives exactly its bundle (plan/files), unpacked into its workdir.
 */
import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { NetworkSpec } from "../config/spec";
import {
    NetworkPlan,
    artifactsScript,
    bundleScript,
    cryptoScript,
    deliverScript,
    manifest,
    stepId,
    undeliverScript,
} from "../plan";
import { Host } from "./host";

export interface CryptoMaterialArgs {
    readonly spec: NetworkSpec;
    readonly plan: NetworkPlan;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export class CryptoMaterial extends pulumi.ComponentResource {
    /** The whole cryptogen output as a base64 tar.gz. Secret: it holds every private key. */
    public readonly archive: pulumi.Output<string>;
    public readonly configHash: string;
    public readonly command: command.local.Command;

    constructor(name: string, args: CryptoMaterialArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:crypto:CryptoMaterial", name, {}, opts);
        const script = cryptoScript(args.spec);
        this.configHash = sha256(args.plan.cryptoConfigYaml);
        this.command = new command.local.Command(
            `${name}-cryptogen`,
            {
                // Create generates; update extends the previous material (never a replacement: no triggers).
                create: script,
                update: script,
                environment: { CRYPTO_CONFIG: args.plan.cryptoConfigYaml, IDENTITIES: args.plan.identities },
                interpreter: ["/bin/bash", "-c"],
                // The archive holds private keys: never logged, secret in the state.
                logging: "stderr",
            },
            { parent: this, additionalSecretOutputs: ["stdout"] },
        );
        this.archive = pulumi.secret(this.command.stdout);
        this.registerOutputs({ configHash: this.configHash });
    }
}

export interface ChannelArtifactsArgs {
    readonly spec: NetworkSpec;
    readonly plan: NetworkPlan;
    readonly crypto: CryptoMaterial;
}

export class ChannelArtifacts extends pulumi.ComponentResource {
    /** Genesis block, channel transactions and anchor updates as a base64 tar.gz (certificates only). */
    public readonly archive: pulumi.Output<string>;
    public readonly command: command.local.Command;

    constructor(name: string, args: ChannelArtifactsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:crypto:ChannelArtifacts", name, {}, opts);
        this.command = new command.local.Command(
            `${name}-configtxgen`,
            {
                create: artifactsScript(args.spec, args.plan.genesisProfile, args.plan.channelProfile),
                stdin: args.crypto.archive,
                environment: { CONFIGTX: args.plan.configtxYaml },
                // Re-run when the rendered configtx.yaml or the material it reads changes, and only then.
                triggers: [sha256(args.plan.configtxYaml), args.crypto.command.stdout.apply(sha256)],
                interpreter: ["/bin/bash", "-c"],
                logging: "stderr",
            },
            { parent: this },
        );
        this.archive = this.command.stdout;
        this.registerOutputs({});
    }
}

export interface DeliveryArgs {
    readonly spec: NetworkSpec;
    readonly plan: NetworkPlan;
    readonly host: Host;
    readonly crypto: CryptoMaterial;
    readonly artifacts: ChannelArtifacts;
}

/** Copies one host's share of the material to its workdir; replaced content is rewritten, destroy removes it. */
export class Delivery extends pulumi.ComponentResource {
    public readonly step: command.local.Command | command.remote.Command;
    public readonly fileCount: number;

    constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:crypto:Delivery", name, {}, opts);
        const files = args.plan.files.get(args.host.name) ?? [];
        const rendered = args.plan.rendered.get(args.host.name) ?? [];
        this.fileCount = files.length + rendered.length;
        const readable = [...files, ...rendered].filter((f) => f.containerReadable).map((f) => f.to);
        // The plan's step graph says whether this host's files include configtxgen output; reading the artifacts
        // archive otherwise would make the delivery wait for configtxgen for nothing.
        const withArtifacts = args.plan.steps
            .find((s) => s.id === stepId.deliver(args.host.name))!
            .after.includes(stepId.artifacts());
        const bundle = new command.local.Command(
            `${name}-bundle`,
            {
                create: bundleScript(),
                stdin: pulumi.interpolate`${args.crypto.archive}\n${withArtifacts ? args.artifacts.archive : ""}\n`,
                environment: { MANIFEST: manifest(files, rendered) },
                interpreter: ["/bin/bash", "-c"],
                logging: "stderr",
            },
            { parent: this, additionalSecretOutputs: ["stdout"] },
        );
        // The digest changes exactly when the bundle's content does; it reveals nothing about the keys.
        const digest = pulumi.unsecret(bundle.stdout.apply(sha256));
        const workdir = args.host.spec.workdir;
        this.step = args.host.run(
            `${name}-copy`,
            {
                // Naming the digest in the command makes a content change an in-place update (a re-copy),
                // never a replace whose delete would remove the new files.
                create: pulumi.interpolate`# bundle ${digest}\n${deliverScript(workdir, readable)}`,
                delete: undeliverScript(workdir),
                stdin: bundle.stdout,
                sensitive: true,
            },
            { parent: this },
        );
        this.registerOutputs({ fileCount: this.fileCount });
    }
}
