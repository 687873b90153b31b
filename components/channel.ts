import * as pulumi from "@pulumi/pulumi";
import { ChannelSpec, NetworkSpec, PeerSpec } from "../config/spec";
import {
    anchorUpdateScript,
    channelCreateScript,
    channelJoinScript,
    channelLeadPeer,
    channelOrgs,
    orgLeadPeer,
    peerResourceName,
    stepId,
} from "../plan";
import { CliStepContext, cliStep } from "./cliStep";

export interface ChannelArgs extends CliStepContext {
    readonly spec: NetworkSpec;
    readonly channel: ChannelSpec;
}

/**
 * Creates the channel (or fetches it when it exists), joins every member peer (skipping those already
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
}
