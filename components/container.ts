import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerSpec, VolumeMount } from "../plan";
import { Host } from "./host";

export interface NodeContainerOptions {
    /** Resources that must be ready first (from the plan's step graph). */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** Protect ledger volumes: `destroy` leaves them on the host. */
    readonly retainVolumes: boolean;
    /** Extra environment whose values come from other resources (e.g. generated passwords). */
    readonly extraEnv?: Record<string, pulumi.Input<string>>;
    /** How long `up` waits for the container's health check to pass. */
    readonly readyTimeoutSeconds?: number;
}

export interface NodeContainer {
    readonly container: docker.Container;
    readonly volumes: docker.Volume[];
}

/** The resource name of a container's volume, shared with the components that keep a volume without its container. */
export function volumeResourceName(c: ContainerSpec, v: VolumeMount): string {
    return `${c.resourceName}-${v.volume.slice(c.name.length + 1) || "data"}-volume`;
}

/**
 * Turns a planned container into Docker resources on its host: its named volumes, then the container itself.
 * When the plan gives a health check, `wait` makes `up` block until the container reports healthy, so the
 * next tier's `dependsOn` means *ready*, not merely *started*: no fixed sleeps.
 */
export function nodeContainer(
    parent: pulumi.Resource,
    host: Host,
    c: ContainerSpec,
    opts: NodeContainerOptions,
): NodeContainer {
    const child = { parent, provider: host.provider };
    const volumes = c.volumes.map(
        (v) =>
            new docker.Volume(
                volumeResourceName(c, v),
                { name: v.volume },
                // A ledger survives container replacement and `destroy`: recreating the volume re-attaches it.
                { ...child, retainOnDelete: v.stateful && opts.retainVolumes },
            ),
    );
    const env: pulumi.Input<string>[] = Object.entries(c.env)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`);
    for (const [k, v] of Object.entries(opts.extraEnv ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        env.push(pulumi.interpolate`${k}=${v}`);
    }
    const image = host.image(c.image);
    const container = new docker.Container(
        `${c.resourceName}-container`,
        {
            name: c.name,
            hostname: c.hostname,
            image: image.imageId,
            envs: env,
            ...(c.command ? { command: [...c.command] } : {}),
            restart: c.restart,
            mustRun: true,
            ports: c.ports.map((p) => ({ internal: p.internal, external: p.external, ip: p.ip })),
            volumes: [
                ...c.volumes.map((v, i) => ({ volumeName: volumes[i]!.name, containerPath: v.containerPath })),
                ...c.binds.map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly })),
            ],
            hosts: c.extraHosts.map((e) => ({ host: e.host, ip: e.ip })),
            networksAdvanced: [{ name: host.network.name, aliases: [...c.aliases] }],
            ...(c.healthcheck
                ? {
                      healthcheck: {
                          tests: [...c.healthcheck.test],
                          interval: c.healthcheck.interval,
                          timeout: c.healthcheck.timeout,
                          retries: c.healthcheck.retries,
                          startPeriod: c.healthcheck.startPeriod,
                      },
                      wait: true,
                      waitTimeout: opts.readyTimeoutSeconds ?? 300,
                  }
                : {}),
            logOpts: { "max-size": "20m", "max-file": "3" },
        },
        {
            ...child,
            dependsOn: opts.dependsOn,
            // Fixed container names and host ports: the old container must go before the new one can start.
            deleteBeforeReplace: true,
        },
    );
    return { container, volumes };
}
