import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { LoadedConfig } from "../config/load";
import { ChaincodeSpec, NetworkSpec } from "../config/spec";
import {
    ClientIdentities,
    NetworkPlan,
    allPeers,
    archiveCertificateExpiries,
    buildPlan,
    crossOrgTestScript,
    crossOrgTestable,
    HostShell,
    hostShell,
    memberDefinitions,
    chaincodeChannel,
    chaincodeReadyStep,
    channelOrgs,
    clientIdentities,
    connectionProfiles,
    expiryWarnings,
    mermaidDiagram,
    orderingPlan,
    peerAddress,
    stepId,
    verifyCommand,
    tlsCaCertificates,
    topology,
    unpackArchive,
} from "../plan";
import { Chaincode } from "./chaincode";
import { Channel } from "./channel";
import { Host } from "./host";
import { ChannelArtifacts, CryptoMaterial, Delivery } from "./material";
import { KafkaToRaft } from "./migration";
import { OrdererSet, OrderingNodes } from "./ordering";
import { PeerNode } from "./peer";
import { StepRegistry } from "./registry";

export interface FabricNetworkArgs {
    readonly config: LoadedConfig;
}

/**
 * The root component: builds the plan once, then creates the tiers in the plan's order, turning every edge of
 * the step graph into `dependsOn` through `deps(stepId)`.
 */
export class FabricNetwork extends pulumi.ComponentResource {
    public readonly spec: NetworkSpec;
    public readonly plan: NetworkPlan;
    public readonly hosts = new Map<string, Host>();
    public readonly peers = new Map<string, PeerNode>();
    public readonly ordererEndpoints: string[];
    public readonly peerEndpoints: Record<string, string>;
    public readonly channels: string[];
    public readonly chaincodes: Record<
        string,
        { version: string; lifecycle: string; sequence: number; packageId: string; channel: string }
    >;
    /** Per org MSP id, its connection profile (JSON) with addresses as dialled from the operator's machine. */
    public readonly connectionProfiles: pulumi.Output<Record<string, string>>;
    /** The topology (hosts, containers, links) as a Mermaid flowchart. */
    public readonly diagram: string;
    /** The orderers' batch settings (timeout and size), which bound what a client measures. */
    public readonly batch: NetworkSpec["batch"];
    /** Per org MSP id and user, the client users' certificates and keys. Secret. */
    public readonly identities: pulumi.Output<ClientIdentities>;
    /** Per chaincode, a shell script repeating the old runbook's cross-org query/invoke/query test. */
    public readonly crossOrgTests: pulumi.Output<Record<string, string>>;
    /** Per chaincode and org, what its verification query returned on this `up` (not run in preview). */
    public readonly verification: pulumi.Output<Record<string, Record<string, string>>>;
    /** Per certificate of the crypto material (by the first path holding it): subject and expiry date. */
    public readonly certificateExpiry: pulumi.Output<Record<string, { subject: string; notAfter: string }>>;
    /**
     * While a Kafka → Raft migration (or its abort) is configured: its mode, its steps in order, and where each
     * volume was backed up (host, volume, file); null otherwise.
     */
    public readonly migration: {
        mode: string;
        backups: { host: string; volume: string; file: string }[];
        steps: string[];
    } | null;

    constructor(name: string, args: FabricNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:network:FabricNetwork", name, {}, opts);
        const { spec, credentials, registryAuth } = args.config;
        this.spec = spec;
        this.plan = buildPlan(spec);
        const steps = new StepRegistry(this.plan.steps);

        for (const h of spec.hosts) {
            this.hosts.set(
                h.name,
                new Host(
                    h.name,
                    {
                        spec: h,
                        network: spec,
                        ...(credentials[h.name] ? { credential: credentials[h.name] } : {}),
                        ...(registryAuth ? { registryAuth } : {}),
                    },
                    { parent: this },
                ),
            );
        }

        const crypto = new CryptoMaterial("crypto", { spec, plan: this.plan }, { parent: this });
        steps.record(stepId.crypto(), crypto);
        const artifacts = new ChannelArtifacts("artifacts", { spec, plan: this.plan, crypto }, { parent: this });
        steps.record(stepId.artifacts(), artifacts);
        for (const hostName of this.plan.files.keys()) {
            const d = new Delivery(
                `${hostName}-files`,
                { spec, plan: this.plan, host: this.hosts.get(hostName)!, crypto, artifacts },
                { parent: this },
            );
            steps.record(stepId.deliver(hostName), d);
        }

        const tierArgs = { spec, hosts: this.hosts, steps };
        // How the operator's machine reaches each host, for the verification queries and the cross-org test.
        const shell = this.keyFiles().apply((keys) => hostShell(spec, keys));
        // A migration from Kafka to Raft (or its abort): its steps interleave with the tiers below, so they are
        // created in rounds, each as soon as the steps before it exist.
        const ordering = orderingPlan(spec);
        const migrationPlan = ordering.migration;
        const migration = migrationPlan
            ? new KafkaToRaft("kafka-to-raft", { ...tierArgs, plan: migrationPlan }, { parent: this })
            : undefined;
        // The consensus's own nodes (Kafka: the ZooKeeper ensemble, then the Kafka cluster), as the plan says.
        for (const group of ordering.nodeGroups) {
            new OrderingNodes(group.name, { ...tierArgs, group }, { parent: this });
        }
        migration?.advance();
        const orderers = new OrdererSet("orderers", tierArgs, { parent: this });
        this.ordererEndpoints = orderers.endpoints;
        migration?.advance();

        for (const p of allPeers(spec)) {
            const id = stepId.peer(p.fqdn);
            const node = new PeerNode(
                p.fqdn,
                {
                    spec,
                    peer: p,
                    host: this.hosts.get(p.host)!,
                    dependsOn: steps.dependsOn(id),
                    cliDependsOn: steps.dependsOn(stepId.cli(p.fqdn)),
                },
                { parent: this },
            );
            this.peers.set(p.fqdn, node);
            steps.record(id, node.peerReady);
            steps.record(stepId.cli(p.fqdn), node.cli);
        }
        this.peerEndpoints = Object.fromEntries(allPeers(spec).map((p) => [p.fqdn, peerAddress(p)]));
        migration?.finish();
        // Whatever runs against the peers below waits until a migration has ended (peers restarted, normal mode).
        const afterMigration = migrationPlan ? migrationPlan.finalSteps.flatMap((id) => steps.resources(id)) : [];
        this.migration = migration
            ? {
                  mode: migration.mode,
                  backups: migration.backups,
                  steps: migrationPlan!.steps.map((s) => s.resourceName),
              }
            : null;

        // The org groups configtxgen printed (public): what adding an org to a running channel inserts. Unpacked
        // only when the channels' members are managed.
        const artifactFiles = spec.manageChannelMembers
            ? pulumi.unsecret(artifacts.archive).apply((a) => unpackArchive(a))
            : undefined;
        for (const ch of spec.channels) {
            new Channel(
                ch.name,
                {
                    spec,
                    channel: ch,
                    hosts: this.hosts,
                    peers: this.peers,
                    steps,
                    ...(artifactFiles
                        ? { memberDefinitions: artifactFiles.apply((files) => memberDefinitions(spec, ch, files)) }
                        : {}),
                },
                { parent: this },
            );
        }
        this.channels = spec.channels.map((c) => c.name);
        this.batch = spec.batch;
        this.diagram = mermaidDiagram(topology(spec));

        const verification: Record<string, pulumi.Output<Record<string, string>>> = {};
        this.chaincodes = {};
        for (const cc of spec.chaincodes) {
            const chaincode = new Chaincode(
                cc.name,
                { spec, chaincode: cc, hosts: this.hosts, peers: this.peers, steps },
                { parent: this },
            );
            this.chaincodes[cc.name] = {
                version: cc.version,
                lifecycle: cc.lifecycle,
                // The legacy lifecycle has no sequence: the version alone names the definition.
                sequence: cc.lifecycle === "legacy" ? 0 : cc.sequence,
                packageId: chaincode.packageId,
                channel: cc.channel,
            };
            if (cc.verify)
                verification[cc.name] = this.verify(cc, shell, [
                    ...steps.resources(chaincodeReadyStep(cc)),
                    ...afterMigration,
                ]);
        }
        this.verification = pulumi.output(verification);
        this.crossOrgTests = shell.apply((sh) =>
            Object.fromEntries(crossOrgTestable(spec).map((c) => [c.name, crossOrgTestScript(spec, c, sh)])),
        );
        // Both read the material in memory: the TLS CA certificates are public (unsecret), the users' keys not.
        const tlsCa = pulumi.unsecret(crypto.archive.apply((a) => tlsCaCertificates(spec, unpackArchive(a))));
        this.connectionProfiles = tlsCa.apply((pem) => connectionProfiles(spec, pem));
        this.identities = pulumi.secret(crypto.archive.apply((a) => clientIdentities(spec, unpackArchive(a))));
        this.certificateExpiry = this.expiry(crypto);

        this.registerOutputs({
            ordererEndpoints: this.ordererEndpoints,
            peerEndpoints: this.peerEndpoints,
            channels: this.channels,
            chaincodes: this.chaincodes,
            connectionProfiles: this.connectionProfiles,
            identities: this.identities,
            batch: this.batch,
            diagram: this.diagram,
            verification: this.verification,
            crossOrgTests: this.crossOrgTests,
            certificateExpiry: this.certificateExpiry,
            migration: this.migration,
        });
    }

    /**
     * Reads the expiry date of every certificate in the crypto material (known in preview too, once the material
     * exists) and warns about those within the configured window. Only subjects and dates leave the archive, so
     * the result is not secret; the keys in it are never read.
     */
    private expiry(crypto: CryptoMaterial): pulumi.Output<Record<string, { subject: string; notAfter: string }>> {
        const days = this.spec.certificateExpiryWarningDays;
        const certs = pulumi.unsecret(
            crypto.archive.apply((archive) => {
                try {
                    return archiveCertificateExpiries(archive);
                } catch (e) {
                    void pulumi.log.warn(
                        `could not read the certificates of the crypto material: ${(e as Error).message}`,
                        this,
                    );
                    return [];
                }
            }),
        );
        return certs.apply((cs) => {
            for (const w of expiryWarnings(cs, new Date(), days)) void pulumi.log.warn(w, this);
            return Object.fromEntries(cs.map((c) => [c.path, { subject: c.subject, notAfter: c.notAfter }]));
        });
    }

    /** Each ssh host's key file path (not secret; the key in it is), for the checks' command lines. */
    private keyFiles(): pulumi.Output<Record<string, string>> {
        const files: Record<string, pulumi.Output<string>> = {};
        for (const [name, host] of this.hosts) if (host.keyFile) files[name] = host.keyFile;
        return pulumi.all(files);
    }

    /**
     * Runs the chaincode's verification query from one peer of each member org on every `up`. It is a
     * read-only check, not a resource: it reports without making the next `up` show a change.
     */
    private verify(
        cc: ChaincodeSpec,
        shell: pulumi.Output<HostShell>,
        after: pulumi.Resource[],
    ): pulumi.Output<Record<string, string>> {
        const ccName = cc.name;
        const v = cc.verify!;
        if (pulumi.runtime.isDryRun()) return pulumi.output<Record<string, string>>({});
        const results: Record<string, pulumi.Output<string>> = {};
        for (const org of channelOrgs(this.spec, chaincodeChannel(this.spec, cc))) {
            const p = org.peers[org.peers.length - 1]!;
            const line = shell.apply((sh) => verifyCommand(cc, p, sh));
            results[org.mspId] = command.local
                .runOutput({ command: line, interpreter: ["/bin/sh", "-c"] }, { parent: this, dependsOn: after })
                .apply((r) => {
                    const value = r.stdout.trim();
                    if (v.expect !== null && value !== v.expect) {
                        throw new Error(
                            `${ccName}: ${v.function}(${v.args.join(", ")}) on ${p.fqdn} returned ${JSON.stringify(value)}, expected ${JSON.stringify(v.expect)}`,
                        );
                    }
                    void pulumi.log.info(
                        `${ccName} ${v.function}(${v.args.join(", ")}) on ${p.fqdn} (${org.mspId}) = ${value}`,
                        this,
                    );
                    return value;
                });
        }
        return pulumi.output(results);
    }
}
