/**
 * The shared issue collector every normalizer writes to: problems (each with its config path) and warnings.
 * Normalizers never throw; `validateConfig` throws once, with everything that was found.
 */
import { ConfigIssue, configPath, show } from "../errors";
import { didYouMean } from "../suggest";

export type Path = readonly PropertyKey[];

export class Collector {
    readonly issues: ConfigIssue[] = [];
    readonly warnings: string[] = [];

    err(path: Path, message: string): void {
        this.issues.push({ path: configPath(path), message });
    }

    warn(message: string): void {
        this.warnings.push(message);
    }
}

/** Published ports per host, to report two roles needing the same port on one machine. */
export class PortBook {
    private readonly owners = new Map<string, { path: string; role: string }>();

    constructor(private readonly c: Collector) {}

    claim(host: string, port: number, path: Path, role: string): void {
        const key = `${host}:${port}`;
        const owner = this.owners.get(key);
        if (owner) {
            this.c.err(
                path,
                `port ${port} on host ${show(host)} is already used by ${owner.role} (${owner.path}); give one of them another port`,
            );
        } else this.owners.set(key, { path: configPath(path), role });
    }
}

/** The host names the config declares, so every role's `host` can be checked against them. */
export class HostRefs {
    constructor(
        private readonly c: Collector,
        readonly names: ReadonlyMap<string, number>,
    ) {}

    check(path: Path, name: string): void {
        if (!this.names.has(name))
            this.c.err(
                path,
                `unknown host ${show(name)};${didYouMean(name, this.names.keys())} allowed: ${[...this.names.keys()].join(", ")}`,
            );
    }
}

/**
 * Ports inside one container (its network namespace): two listeners on one port fail at start, whether or not
 * the port is published. One book per container.
 */
export class ContainerPorts {
    private readonly owners = new Map<number, { path: string; role: string }>();

    constructor(
        private readonly c: Collector,
        private readonly container: string,
    ) {}

    claim(port: number, path: Path | null, role: string): void {
        const owner = this.owners.get(port);
        if (owner && path) {
            this.c.err(
                path,
                `port ${port} is already the ${owner.role}${owner.path ? ` (${owner.path})` : ""} inside container ${show(this.container)}; allowed: any other port`,
            );
        } else if (!owner) this.owners.set(port, { path: path ? configPath(path) : "", role });
    }
}

/** What the per-concern normalizers share: the collector, the declared hosts and the per-host port book. */
export interface Context {
    readonly c: Collector;
    readonly hosts: HostRefs;
    readonly ports: PortBook;
}
