import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NetworkSpec, PeerSpec } from "../config/spec";
import { cliContainer, couchdbContainer, peerAddress, peerContainer } from "../plan";
import { nodeContainer } from "./container";
import { Host } from "./host";

export interface PeerNodeArgs {
    readonly spec: NetworkSpec;
    readonly peer: PeerSpec;
    readonly host: Host;
    /** Orderers ready and this host's files delivered (from the step graph). */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** What the CLI container waits for (from the step graph: this host's files, not the peer). */
    readonly cliDependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * A peer, its optional CouchDB, and the CLI container that runs the `peer` commands of the channel and
 * chaincode steps as the org admin. The CLI keeps everything in the host's workdir (bind mount), so a restart
 * loses nothing.
 */
export class PeerNode extends pulumi.ComponentResource {
    public readonly peer: docker.Container;
    /** The peer's readiness step: what the steps after the peer wait for. */
    public readonly peerReady: pulumi.CustomResource;
    public readonly cli: docker.Container;
    public readonly couchdb?: docker.Container;
    public readonly couchdbPassword?: pulumi.Output<string>;
    public readonly endpoint: string;

    constructor(name: string, args: PeerNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:peer:PeerNode", name, {}, opts);
        const { spec, peer: p, host } = args;
        const retainVolumes = spec.protectVolumes;
        let extraEnv: Record<string, pulumi.Input<string>> | undefined;
        let deps = args.dependsOn;
        if (p.stateDatabase === "couchdb") {
            const password = new random.RandomPassword(
                `${name}-couchdb-password`,
                { length: 32, special: false },
                { parent: this },
            );
            // Secret explicitly, not only through the provider's additionalSecretOutputs: every env that
            // carries it (CouchDB's and the peer's) is then stored encrypted and masked in the output.
            this.couchdbPassword = pulumi.secret(password.result);
            const user = "peer";
            const couch = nodeContainer(this, host, couchdbContainer(spec, p), {
                dependsOn: args.dependsOn,
                retainVolumes,
                extraEnv: { COUCHDB_USER: user, COUCHDB_PASSWORD: this.couchdbPassword },
            });
            this.couchdb = couch.container;
            extraEnv = {
                CORE_LEDGER_STATE_COUCHDBCONFIG_USERNAME: user,
                CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD: this.couchdbPassword,
            };
            // The peer starts once its database answers.
            deps = [...deps, couch.ready];
        }
        const peer = nodeContainer(this, host, peerContainer(spec, p), {
            dependsOn: deps,
            retainVolumes,
            ...(extraEnv ? { extraEnv } : {}),
        });
        this.peer = peer.container;
        this.peerReady = peer.ready;
        this.cli = nodeContainer(this, host, cliContainer(spec, p), {
            dependsOn: args.cliDependsOn,
            retainVolumes,
        }).container;
        this.endpoint = peerAddress(p);
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
