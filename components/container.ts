import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerSpec, VolumeMount, readinessScript } from "../plan";
import { Host } from "./host";

export interface NodeContainerOptions {
    /** Resources that must be ready first (from the plan's step graph). */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** Protect ledger volumes: `destroy` leaves them on the host. */
    readonly retainVolumes: boolean;
    /** Extra environment whose values come from other resources (e.g. generated passwords). */
    readonly extraEnv?: Record<string, pulumi.Input<string>>;
}

export interface NodeContainer {
    readonly container: docker.Container;
    readonly volumes: docker.Volume[];
    /** The step that waits for the plan's readiness contract; absent when the plan gives none. */
    readonly readiness?: pulumi.CustomResource;
    /** What the next tier waits for: the readiness step, or the container when there is none. */
    readonly ready: pulumi.CustomResource;
}

/** The resource name of a container's volume, shared with the components that keep a volume without its container. */
export function volumeResourceName(c: ContainerSpec, v: VolumeMount): string {
    return `${c.resourceName}-${v.volume.slice(c.name.length + 1) || "data"}-volume`;
}

/**
 * Turns a planned container into Docker resources on its host: its named volumes, the container, and a step
 * that polls the plan's readiness check on the host until the node is ready (plan/readiness). The next tier
 * waits for that step, so its `dependsOn` means *ready*, not merely *started*: no fixed sleeps.
 *
 * No Docker health check and no provider `wait`: with the upstream provider a failed wait is never checked
 * again and a changed health check never reaches the container (plan/readiness says why). Images that bring
 * their own HEALTHCHECK keep it, for `docker ps`; nothing waits for it.
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
            ...(c.labels
                ? {
                      labels: Object.entries(c.labels)
                          .sort(([a], [b]) => a.localeCompare(b))
                          .map(([label, value]) => ({ label, value })),
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
    if (!c.readiness) return { container, volumes, ready: container };
    const readiness = host.run(
        `${c.resourceName}-ready`,
        {
            create: readinessScript(c.name, host.name, c.readiness),
            // A new container (replaced, or re-created after a failed up) is a new id: check it again. A changed
            // check or timeout changes `create`, which runs it again as an update.
            triggers: [container.id],
        },
        // Runs `docker` against the container: if the container goes, so does the record of its readiness.
        { parent, dependsOn: [container], deletedWith: container },
    );
    return { container, volumes, readiness, ready: readiness };
}
