/** Pulumi mocks that record every resource, and helpers to read Outputs without callbacks. */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../config";
import { fakeArtifactsArchive, fakeCryptoArchive } from "./fakeCrypto";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider: string;
}

export const recorded: Recorded[] = [];

/**
 * A resource as its constructor saw it: the resource object itself, its arguments and its options
 * (dependsOn, retainOnDelete, protect, deleteBeforeReplace, additionalSecretOutputs, provider, parent,
 * deletedWith...). The mock monitor only sees inputs; options are captured by `captureOptions`, a
 * transformation given to the root component and inherited by every resource below it.
 */
export interface Captured {
    readonly type: string;
    readonly name: string;
    readonly resource: pulumi.Resource;
    readonly custom: boolean;
    readonly props: Record<string, unknown>;
    readonly opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
}

export const captured: Captured[] = [];

export const captureOptions: pulumi.ResourceTransformation = ({ resource, type, name, props, opts }) => {
    captured.push({
        type,
        name,
        resource,
        // Read later: the constructor that marks a resource as custom has not finished when transformations run.
        get custom() {
            return pulumi.CustomResource.isInstance(resource);
        },
        props: props,
        opts: opts,
    });
    return undefined;
};

/** Addresses whose reachability probe (an ssh command line run through command:local:run) fails. */
export const unreachable = new Set<string>();

export function installMocks(dryRun: boolean): void {
    recorded.length = 0;
    captured.length = 0;
    void pulumi.runtime.setMocks(
        {
            newResource(args) {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider ?? "" });
                // Outputs echo the inputs, plus what a real provider would compute.
                const state = { ...args.inputs };
                if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:${args.name}`;
                if (args.type.startsWith("command:")) state.stdout = `stdout-of-${args.name}`;
                // The material the program reads identities and TLS CA certificates from.
                const cryptoConfig = (args.inputs.environment as Record<string, string> | undefined)?.CRYPTO_CONFIG;
                if (args.type === "command:local:Command" && cryptoConfig)
                    state.stdout = fakeCryptoArchive(cryptoConfig);
                const configtx = (args.inputs.environment as Record<string, string> | undefined)?.CONFIGTX;
                if (args.type === "command:local:Command" && configtx) state.stdout = fakeArtifactsArchive(configtx);
                if (args.type === "random:index/randomPassword:RandomPassword")
                    state.result = `mock-password-${args.name}`;
                return { id: dryRun ? "" : `${args.name}-id`, state };
            },
            call(args) {
                const cmd = String(args.inputs.command ?? "");
                for (const a of unreachable) {
                    if (args.token === "command:local:run" && cmd.includes(`-- '${a}'`)) {
                        // What the engine hands back for a failed invoke: a gRPC error whose details are the text.
                        const text = `exit status 255: running ${JSON.stringify(cmd)}:\nssh: connect to host ${a} port 22: No route to host`;
                        throw Object.assign(new Error(text), { details: text });
                    }
                }
                if (args.token === "command:local:run") return { stdout: "10", stderr: "" };
                return {};
            },
        },
        "fabric-kafka",
        "test",
        dryRun,
    );
}

/** Puts a raw config (top-level keys without namespace) into Pulumi's runtime config. */
export function setStackConfig(raw: Record<string, unknown>, secretKeys: string[]): void {
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) config[`${DEFAULTS.namespace}:${k}`] = JSON.stringify(v);
    pulumi.runtime.setAllConfig(
        config,
        secretKeys.map((k) => `${DEFAULTS.namespace}:${k}`),
    );
}

export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

export const byType = (t: string) => recorded.filter((r) => r.type === t);

/**
 * Builds the whole network for a raw stack config under mocks (update or preview), with every resource's
 * options captured; resolves once the registrations have settled.
 */
export async function buildNetwork(
    raw: Record<string, unknown>,
    dryRun: boolean,
    secretKeys: string[] = ["credentials"],
): Promise<{ net: import("../../components/network").FabricNetwork }> {
    installMocks(dryRun);
    setStackConfig(raw, secretKeys);
    const { loadConfig } = await import("../../config/load");
    const { FabricNetwork } = await import("../../components/network");
    const net = new FabricNetwork("fabric", { config: loadConfig() }, { transformations: [captureOptions] });
    await valueOf(net.urn);
    // Let the last registrations settle.
    await new Promise((r) => setTimeout(r, 200));
    return { net };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secret values reach the mock monitor wrapped in a marker object. */
export function isSecretValue(v: unknown): v is { value: unknown } {
    return (
        !!v &&
        typeof v === "object" &&
        (v as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270"
    );
}
