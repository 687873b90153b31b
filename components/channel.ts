import * as pulumi from "@pulumi/pulumi";
import { ChannelSpec, NetworkSpec, PeerSpec } from "../config/spec";
import {
    anchorUpdateScript,
    channelCreateScript,
    channelJoinScript,
    channelLeadPeer,
    channelOrgs,
    membershipComputeScript,
    membershipSignScript,
    membershipSigners,
    membershipSubmitScript,
    membershipTrigger,
    orgLeadPeer,
    peerResourceName,
    stepId,
} from "../plan";
import { CliStepContext, cliStep } from "./cliStep";

export interface ChannelArgs extends CliStepContext {
    readonly spec: NetworkSpec;
    readonly channel: ChannelSpec;
    /**
     * Per member org, its channel group as `configtxgen -printOrg` printed it (JSON; public), for the update that
     * adds an org to the running channel (plan/memberDefinitions).
     */
    readonly memberDefinitions?: pulumi.Input<string>;
}

/**
 * Creates the channel (or fetches it when it exists), brings a running channel's member orgs in line with the
 * config (plan/members: an update computed by the lead, signed by the other members' admins each on its own
 * host, submitted by the lead; nothing when they already match), joins every member peer (skipping those already
 * joined), then sets each org's anchor peers once. Every command runs in the CLI container on the peer's
 * own host; the channel block travels through the orderers (`peer channel fetch`), never by hand.
 */
export class Channel extends pulumi.ComponentResource {
    public readonly name: string;

    constructor(name: string, args: ChannelArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fabric:channel:Channel", name, {}, opts);
        const { spec, channel: ch } = args;
        this.name = ch.name;
        const stepOn = (id: string, peer: PeerSpec, resName: string, script: string) =>
            cliStep(this, args, id, peer, resName, script);

        const lead = channelLeadPeer(spec, ch.name);
        stepOn(stepId.channelCreate(ch.name), lead, `${name}-create`, channelCreateScript(spec, ch));
        if (spec.manageChannelMembers && args.memberDefinitions !== undefined)
            this.members(name, args, args.memberDefinitions);
        const members = channelOrgs(spec, ch);
        for (const org of members) {
            for (const p of org.peers) {
                stepOn(
                    stepId.channelJoin(ch.name, p.fqdn),
                    p,
                    `${name}-join-${peerResourceName(spec, p)}`,
                    channelJoinScript(spec, ch, p),
                );
            }
        }
        for (const org of members) {
            stepOn(
                stepId.anchorUpdate(ch.name, org.name),
                orgLeadPeer(org),
                `${name}-anchors-${org.mspId}`,
                anchorUpdateScript(spec, ch, org),
            );
        }
        this.registerOutputs({ name: this.name });
    }

    /**
     * The membership update (plan/members): computed in the lead's CLI, signed by each other member org in its own
     * CLI, submitted by the lead. The steps run again exactly when the configured member set changes; the
     * envelope travels from step to step as each one's stdout (no key does).
     */
    private members(name: string, args: ChannelArgs, definitions: pulumi.Input<string>): void {
        const { spec, channel: ch } = args;
        const lead = channelLeadPeer(spec, ch.name);
        const trigger = [membershipTrigger(spec, ch)];
        let envelope = cliStep(
            this,
            args,
            stepId.membersCompute(ch.name),
            lead,
            `${name}-members-compute`,
            membershipComputeScript(spec, ch),
            definitions,
            trigger,
        ).stdout;
        for (const org of membershipSigners(spec, ch)) {
            envelope = cliStep(
                this,
                args,
                stepId.membersSign(ch.name, org.name),
                orgLeadPeer(org),
                `${name}-members-sign-${org.mspId}`,
                membershipSignScript(ch, org),
                envelope,
                trigger,
            ).stdout;
        }
        cliStep(
            this,
            args,
            stepId.membersSubmit(ch.name),
            lead,
            `${name}-members-submit`,
            membershipSubmitScript(spec, ch),
            envelope,
            trigger,
        );
    }
}
