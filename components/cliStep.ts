import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { PeerSpec } from "../config/spec";
import { inCli } from "../plan";
import { Host } from "./host";
import { PeerNode } from "./peer";
import { StepRegistry } from "./registry";

export interface CliStepContext {
    readonly hosts: ReadonlyMap<string, Host>;
    readonly peers: ReadonlyMap<string, PeerNode>;
    readonly steps: StepRegistry;
}

/**
 * One step of the plan run in a peer's CLI container, on that peer's host, after the steps the plan puts
 * before it; recorded in the registry so later steps can wait for it. `stdin` is piped into the script;
 * `triggers`, when given, replace (re-run) the step whenever they change.
 */
export function cliStep(
    parent: pulumi.Resource,
    ctx: CliStepContext,
    id: string,
    peer: PeerSpec,
    resourceName: string,
    script: string,
    stdin?: pulumi.Input<string>,
    triggers?: pulumi.Input<unknown[]>,
): command.local.Command | command.remote.Command {
    const step = ctx.hosts.get(peer.host)!.run(
        resourceName,
        {
            create: inCli(peer, script, stdin !== undefined),
            ...(stdin !== undefined ? { stdin } : {}),
            ...(triggers !== undefined ? { triggers } : {}),
        },
        // Exec'ing into the CLI: if that container goes, so does the step's record.
        { parent, dependsOn: ctx.steps.dependsOn(id), deletedWith: ctx.peers.get(peer.fqdn)!.cli },
    );
    ctx.steps.record(id, step);
    return step;
}
