/** Pulumi mocks that record every resource, and helpers to read Outputs without callbacks. */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../config";
import { fakeCryptoArchive } from "./fakeCrypto";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider: string;
}

export const recorded: Recorded[] = [];

export function installMocks(dryRun: boolean): void {
    recorded.length = 0;
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
                if (args.type === "random:index/randomPassword:RandomPassword")
                    state.result = `mock-password-${args.name}`;
                return { id: dryRun ? "" : `${args.name}-id`, state };
            },
            call(args) {
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
