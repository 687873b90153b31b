/**
 * The read-only checks the operator's machine runs against a running network, as command lines: the
 * verification query of each `up` and the old runbook's cross-org test. Pure: the component hands in where
 * each host's SSH key file is.
 */
import { ChaincodeSpec, NetworkSpec, PeerSpec } from "../config/spec";
import { chaincodeChannel, channelLeadPeer, channelOrgs, hostByName, orgLeadPeer } from "./names";
import { ccInvokeCommand, ccQueryCommand, inCli } from "./scripts";
import { shq, sshCommand } from "./shell";

/**
 * The command line, run on the operator's machine, that runs `script` in a shell on host `hostName`: the
 * script itself on a local host, over ssh (with that host's key file) on another.
 */
export type HostShell = (hostName: string, script: string) => string;

export function hostShell(spec: NetworkSpec, keyFiles: Readonly<Record<string, string>>): HostShell {
    return (hostName, script) => {
        const host = hostByName(spec, hostName);
        if (host.kind === "local") return script;
        const key = keyFiles[hostName];
        if (!key) throw new Error(`host ${hostName}: checks over SSH need a private key file`);
        return sshCommand(host, spec.ssh, key, script);
    };
}

/** The verification query of `cc` from peer `p`, run in its CLI container on its own host. */
export function verifyCommand(cc: ChaincodeSpec, p: PeerSpec, shell: HostShell): string {
    const v = cc.verify!;
    return shell(p.host, inCli(p, ccQueryCommand(cc, v.function, v.args)));
}

/**
 * The old runbook's proof that the network works, for an example02-style chaincode (init A a B b): query A
 * from a peer of each org, invoke `A B 20` from the last org's last peer, then query A and B from the
 * channel's first peer. Every command runs in the CLI container on the peer's own host.
 */
export function crossOrgTestScript(spec: NetworkSpec, cc: ChaincodeSpec, shell: HostShell): string {
    const [a, , b] = cc.init!.args as [string, string, string, string];
    const orgs = channelOrgs(spec, chaincodeChannel(spec, cc));
    const run = (p: PeerSpec, label: string, cmd: string) =>
        `echo ${shq(`${label} on ${p.fqdn}:`)}; ${shell(p.host, inCli(p, cmd))}`;
    const lead = channelLeadPeer(spec, cc.channel);
    const lastOrg = orgs[orgs.length - 1]!;
    const invoker = lastOrg.peers[lastOrg.peers.length - 1]!;
    return [
        "set -e",
        ...orgs.map((o) => run(orgLeadPeer(o), `query ${a}`, ccQueryCommand(cc, "query", [a]))),
        run(invoker, `invoke ${a} ${b} 20`, ccInvokeCommand(spec, cc, "invoke", [a, b, "20"])),
        run(lead, `query ${a}`, ccQueryCommand(cc, "query", [a])),
        run(lead, `query ${b}`, ccQueryCommand(cc, "query", [b])),
    ].join("\n");
}

/** Chaincodes the cross-org test fits: an init transaction of four arguments (A a B b). */
export function crossOrgTestable(spec: NetworkSpec): ChaincodeSpec[] {
    return spec.chaincodes.filter((c) => c.init?.args.length === 4);
}
