import * as pulumi from "@pulumi/pulumi";
import { ChaincodeSpec, NetworkSpec, OrgSpec, PeerSpec } from "../config/spec";
import {
    ccApproveScript,
    ccCommitScript,
    ccInitScript,
    ccInstallScript,
    ccInstantiateScript,
    ccLegacyInstallScript,
    ccLegacySourceBase64,
    ccPackageBase64,
    chaincodeChannel,
    channelLeadPeer,
    channelOrgs,
    chaincodeContainer,
    orgLeadPeer,
    packageId,
    peerResourceName,
    stepId,
} from "../plan";
import { CliStepContext, cliStep } from "./cliStep";
import { nodeContainer } from "./container";

export interface ChaincodeArgs extends CliStepContext {
    readonly spec: NetworkSpec;
    readonly chaincode: ChaincodeSpec;
}

/**
 * Chaincode as a service, in the lifecycle the config chooses.
 * - `v2`: install the package on every member peer, approve once per org, commit once, start a chaincode
 *   server beside each peer, run init once. The package is built in memory (plan/chaincode), so its id is
 *   known up front. A new version/sequence changes the package id and the definition: install/approve/commit
 *   are updated in place and the servers replaced; init does not run again.
 * - `legacy` (a V1_4_2 channel): `peer chaincode install` on every member peer, a chaincode server beside
 *   each, then `peer chaincode instantiate` with the init transaction. A new version installs that version,
 *   replaces the servers (their id is `name:version`) and runs `peer chaincode upgrade`, which keeps the state.
 */
export class Chaincode extends pulumi.ComponentResource {
    public readonly packageId: string;

    constructor(name: string, args: ChaincodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:chaincode:Chaincode", name, {}, opts);
        const { spec, chaincode: cc } = args;
        this.packageId = packageId(cc);
        const ch = chaincodeChannel(spec, cc);
        const orgs = channelOrgs(spec, ch);
        const step = (id: string, peer: PeerSpec, resName: string, script: string, stdin?: string) =>
            cliStep(this, args, id, peer, resName, script, stdin);

        // Both lifecycles install on every member peer; they differ in what they install and in what follows.
        const legacy = cc.lifecycle === "legacy";
        const payload = legacy ? ccLegacySourceBase64(cc) : ccPackageBase64(cc);
        for (const org of orgs) {
            for (const p of org.peers) {
                step(
                    stepId.ccInstall(cc.name, p.fqdn),
                    p,
                    `${name}-install-${peerResourceName(spec, p)}`,
                    legacy ? ccLegacyInstallScript(cc, p) : ccInstallScript(cc, p),
                    payload,
                );
            }
        }
        const lead = channelLeadPeer(spec, ch.name);
        if (legacy) {
            // Instantiate runs Init, so the servers must be up first.
            this.servers(args, orgs);
            step(stepId.ccInstantiate(cc.name), lead, `${name}-instantiate`, ccInstantiateScript(spec, cc));
        } else {
            for (const org of orgs) {
                step(
                    stepId.ccApprove(cc.name, org.name),
                    orgLeadPeer(org),
                    `${name}-approve-${org.mspId}`,
                    ccApproveScript(spec, cc, org),
                );
            }
            step(stepId.ccCommit(cc.name), lead, `${name}-commit`, ccCommitScript(spec, cc));
            this.servers(args, orgs);
            step(stepId.ccInit(cc.name), lead, `${name}-init`, ccInitScript(spec, cc));
        }
        this.registerOutputs({ packageId: this.packageId });
    }

    /** One chaincode server beside each member peer, announcing the id the peer knows the chaincode by. */
    private servers(args: ChaincodeArgs, orgs: readonly OrgSpec[]): void {
        const { spec, chaincode: cc } = args;
        for (const org of orgs) {
            for (const p of org.peers) {
                const id = stepId.ccServer(cc.name, p.fqdn);
                const node = nodeContainer(
                    this,
                    args.hosts.get(p.host)!,
                    chaincodeContainer(spec, cc, p, this.packageId),
                    {
                        dependsOn: args.steps.dependsOn(id),
                        retainVolumes: spec.protectVolumes,
                    },
                );
                // Init and instantiate wait until each peer can reach its server.
                args.steps.record(id, node.ready);
            }
        }
    }
}
