/**
 * The dependency graph Pulumi would see, rebuilt from the captured resources: an edge for every `dependsOn`
 * (a component in `dependsOn` stands for every resource below it, as the engine reads it) and for every
 * Output passed as an input (a data dependency). Parents are not dependencies.
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkSpec } from "../../config";
import { ContainerSpec, Step, allPeers, buildPlan, couchdbContainer, peerResourceName } from "../../plan";
import { Captured } from "./mocks";

export class ResourceGraph {
    private readonly byResource = new Map<pulumi.Resource, Captured>();
    private readonly edges = new Map<Captured, Set<Captured>>();

    private constructor(readonly all: readonly Captured[]) {
        for (const c of all) this.byResource.set(c.resource, c);
    }

    /** Waits for every Output among the inputs to say which resources it comes from. */
    static async build(all: readonly Captured[]): Promise<ResourceGraph> {
        const g = new ResourceGraph([...all]);
        for (const c of g.all) {
            const deps = new Set<Captured>();
            for (const r of g.explicitDeps(c)) for (const x of g.customsOf(r)) deps.add(x);
            for (const r of await dataDeps(c.props)) {
                const x = g.byResource.get(r);
                if (x) for (const y of g.customsOf(x)) deps.add(y);
            }
            g.edges.set(c, deps);
        }
        return g;
    }

    /** The one resource of this name (and type, if given); fails loudly on none or several. */
    get(name: string, type?: string): Captured {
        const hits = this.all.filter((c) => c.name === name && (type === undefined || c.type === type));
        if (hits.length !== 1) throw new Error(`expected one resource named ${name}, found ${hits.length}`);
        return hits[0]!;
    }

    find(name: string): Captured | undefined {
        return this.all.find((c) => c.name === name);
    }

    ofType(type: string): Captured[] {
        return this.all.filter((c) => c.type === type);
    }

    nameOf(r: pulumi.Resource): string {
        const c = this.byResource.get(r);
        if (!c) throw new Error("a resource that was not captured");
        return c.name;
    }

    parentOf(c: Captured): Captured | undefined {
        return c.opts.parent ? this.byResource.get(c.opts.parent) : undefined;
    }

    /** The resources `dependsOn` names directly (components as themselves). */
    explicitDeps(c: Captured): Captured[] {
        const raw = c.opts.dependsOn;
        if (raw === undefined) return [];
        // The components pass plain resources; anything else (an Output of resources) would need the engine.
        const items: unknown[] = Array.isArray(raw) ? raw : [raw];
        return items.map((r) => {
            if (!pulumi.Resource.isInstance(r))
                throw new Error(`${c.name}: dependsOn holds something other than a resource`);
            const x = this.byResource.get(r);
            if (!x) throw new Error(`${c.name} depends on a resource that was not captured`);
            return x;
        });
    }

    /** A custom resource stands for itself; a component for every custom resource below it. */
    customsOf(c: Captured): Captured[] {
        if (c.custom) return [c];
        return this.all.filter((x) => x.custom && this.isBelow(x, c));
    }

    private isBelow(x: Captured, ancestor: Captured): boolean {
        for (let p = this.parentOf(x); p; p = this.parentOf(p)) if (p === ancestor) return true;
        return false;
    }

    /** The direct dependencies of a custom resource (dependsOn expanded, plus data). */
    deps(c: Captured): ReadonlySet<Captured> {
        return this.edges.get(c) ?? new Set();
    }

    /** Whether `from` waits for `to`, directly or through other resources. */
    reaches(from: Captured, to: Captured): boolean {
        const seen = new Set<Captured>();
        const stack = [...this.deps(from)];
        while (stack.length > 0) {
            const x = stack.pop()!;
            if (x === to) return true;
            if (seen.has(x)) continue;
            seen.add(x);
            stack.push(...this.deps(x));
        }
        return false;
    }
}

async function dataDeps(v: unknown, seen = new Set<unknown>()): Promise<pulumi.Resource[]> {
    if (v === null || typeof v !== "object" || seen.has(v)) return [];
    seen.add(v);
    if (pulumi.Output.isInstance(v)) {
        const o = v as unknown as {
            allResources?: () => Promise<Set<pulumi.Resource>>;
            resources: () => Set<pulumi.Resource>;
        };
        return [...(o.allResources ? await o.allResources() : o.resources())];
    }
    if (pulumi.Resource.isInstance(v)) return [];
    const out: pulumi.Resource[] = [];
    for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>))
        out.push(...(await dataDeps(x, seen)));
    return out;
}

/**
 * The resource that carries out each step of the plan, by the names the components give them. Written out
 * here rather than read from the components' step registry, so that a registry that loses an edge is caught.
 */
export function stepResources(spec: NetworkSpec, step: Step): string[] {
    const [kind, a, b] = step.id.split(":") as [string, string?, string?];
    const peer = (fqdn: string) =>
        peerResourceName(
            spec,
            allPeers(spec).find((p) => p.fqdn === fqdn)!,
        );
    const orderer = (fqdn: string) => spec.orderers.find((o) => o.fqdn === fqdn)!.name;
    const msp = (org: string) => spec.organizations.find((o) => o.name === org)!.mspId;
    switch (kind) {
        case "crypto":
            return ["crypto-cryptogen"];
        case "artifacts":
            return ["artifacts-configtxgen"];
        case "deliver":
            return [`${a}-files-copy`];
        case "zookeeper":
        case "kafka":
            return [`${a}-container`];
        case "orderer":
            return [`${orderer(a!)}-container`];
        case "peer":
            return [`${peer(a!)}-container`];
        case "cli":
            return [`${peer(a!)}-cli-container`];
        case "channel-create":
            return [`${a}-create`];
        case "members-compute":
            return [`${a}-members-compute`];
        case "members-sign":
            return [`${a}-members-sign-${msp(b!)}`];
        case "members-submit":
            return [`${a}-members-submit`];
        case "channel-join":
            return [`${a}-join-${peer(b!)}`];
        case "anchor-update":
            return [`${a}-anchors-${msp(b!)}`];
        case "cc-install":
            return [`${a}-install-${peer(b!)}`];
        case "cc-approve":
            return [`${a}-approve-${msp(b!)}`];
        case "cc-commit":
            return [`${a}-commit`];
        case "cc-server":
            return [`${a}-${peer(b!)}-container`];
        case "cc-init":
            return [`${a}-init`];
        case "cc-instantiate":
            return [`${a}-instantiate`];
        default:
            throw new Error(`no resource known for step ${step.id}`);
    }
}

/** Every container the network runs, as planned: the plan's tiers, the chaincode servers, the CouchDBs. */
export function plannedContainers(spec: NetworkSpec): ContainerSpec[] {
    const plan = buildPlan(spec);
    return [
        ...[...plan.containers.values()].flat(),
        ...plan.chaincodeContainers,
        ...allPeers(spec)
            .filter((p) => p.stateDatabase === "couchdb")
            .map((p) => couchdbContainer(spec, p)),
    ];
}
