/**
 * An organisation added to a running network and channel by editing the stack, and removed again, as phases over
 * a RunningNetwork (issue 13): Org6 with one peer on a spare simulated host joins `mychannel` through a channel
 * configuration update signed by the other members' admins (each in its own CLI), installs and approves mycc,
 * endorses an invoke alone, then leaves the channel and the stack.
 *
 * On the shared dev network (network.test.ts) the spare host is a 14th simulated host that the topology does not
 * use: `hostsUp(14)`, `ORG6(sim.hosts[13]!)`, and `{ host: "peer0-org1", peer: "peer0.org1.example.com" }` as the
 * reader; addOrg turns `network.manageChannelMembers` on (it stays on), removeOrg takes the host and its key out
 * of the stack again. mycc's sequence goes up by one in each (its policy names Org6 in between).
 */
import * as fs from "node:fs";
import { DEFAULTS } from "../../../config";
import { RunningNetwork, SimHost, onHost } from "../support/harness";

const NS = DEFAULTS.namespace;
const ORDERER_ARGS = "-o orderer0.example.com:7050 --tls --cafile /work/tlsca/example.com.pem";

type Raw = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the org change is about: the org, its one peer's host (a topology name) and the simulated host for it. */
export interface NewOrg {
    readonly name: string;
    readonly mspId: string;
    readonly domain: string;
    /** Topology name of the spare host the org's peer runs on. */
    readonly host: string;
    readonly sim: SimHost;
    readonly channel: string;
    readonly chaincode: string;
}

export const ORG6 = (sim: SimHost): NewOrg => ({
    name: "Org6",
    mspId: "Org6MSP",
    domain: "org6.example.com",
    host: "peer0-org6",
    sim,
    channel: "mychannel",
    chaincode: "mycc",
});

/** Runs a script in a CLI container on the simulated host that plays topology host `host` (or `sim`). */
async function inCli(sim: SimHost, peer: string, script: string): Promise<string> {
    return onHost(sim, ["docker", "exec", `cli.${peer}`, "sh", "-c", script]);
}

/** The Application groups (member MSP ids) of a channel's config, as the orderer serves it, read from `peer`'s CLI. */
export async function channelMembers(sim: SimHost, peer: string, channel: string): Promise<string[]> {
    const out = await inCli(
        sim,
        peer,
        [
            `f=$(mktemp); peer channel fetch config "$f" -c '${channel}' ${ORDERER_ARGS} >/dev/null 2>&1`,
            `configtxlator proto_decode --input "$f" --type common.Block | jq -c '.data.data[0].payload.data.config.channel_group.groups.Application.groups | keys'`,
        ].join(" && "),
    );
    return JSON.parse(out.trim()) as string[];
}

/** The membership steps' own output on the last `up` (without the envelope they hand on), in step order. */
async function membershipLog(net: RunningNetwork, channel: string): Promise<string[]> {
    const state = (await net.stack.exportStack()).deployment as {
        resources: Array<{ type: string; urn: string; outputs?: { stdout?: string } }>;
    };
    const order = (urn: string) => (urn.includes("-compute") ? 0 : urn.includes("-sign-") ? 1 : 2);
    return state.resources
        .filter((r) => r.type === "command:remote:Command" && r.urn.includes(`::${channel}-members-`))
        .sort((a, b) => order(a.urn) - order(b.urn))
        .map(
            (r) =>
                `${r.urn.split("::").pop()}: ` +
                (r.outputs?.stdout ?? "")
                    .split("\n")
                    .filter((l) => !/^(ENVELOPE|MEMBERS|NEEDED|UPDATE) /.test(l))
                    .join(" | "),
        );
}

/** Sets the keys this scenario edits, from `raw`. */
async function setConfig(net: RunningNetwork, raw: Raw): Promise<void> {
    for (const k of ["network", "hosts", "organizations", "channels", "chaincodes"]) {
        await net.stack.setConfig(`${NS}:${k}`, { value: JSON.stringify(raw[k]) });
        net.config.plain[k] = raw[k];
    }
}

/**
 * Adds `org` by editing the stack: its spare host (with its SSH key as a secret), the org with one peer there,
 * the channel's member list, and the chaincode's endorsement policy extended to the org (sequence + 1, so the org
 * can endorse alone). One `up`. Returns the up, the membership steps' log and the members afterwards.
 */
export async function addOrg(net: RunningNetwork, org: NewOrg) {
    const raw = clone(net.config.plain) as Raw;
    // The membership steps are off by default until this scenario has run on the shared network.
    raw.network = { ...raw.network, manageChannelMembers: true };
    const workdir = `${net.workdir((raw.hosts as Array<{ name: string }>)[0]!.name).replace(/\/[^/]+$/, "")}/${org.host}`;
    raw.hosts.push({
        name: org.host,
        address: org.sim.address,
        sshPort: org.sim.sshPort,
        user: org.sim.user,
        workdir,
    });
    raw.organizations.push({
        name: org.name,
        mspId: org.mspId,
        domain: org.domain,
        peers: [{ name: "peer0", host: org.host }],
    });
    raw.channels.find((c: Raw) => c.name === org.channel).organizations.push(org.name);
    const cc = raw.chaincodes.find((c: Raw) => c.name === org.chaincode);
    cc.endorsementPolicy = cc.endorsementPolicy.replace(/\)$/, `,'${org.mspId}.member')`);
    cc.sequence = (cc.sequence ?? 1) + 1;
    const { readFileSync } = await import("node:fs");
    const key = readFileSync(org.sim.keyFile, "utf8");
    await net.stack.setConfig(`credentials.${org.host}.privateKey`, { value: key, secret: true }, true);
    net.config.credentials[org.host] = { privateKey: key };
    await setConfig(net, raw);
    const t0 = Date.now();
    const up = await net.stack.up({ onOutput: (s) => process.stdout.write(s) });
    const seconds = (Date.now() - t0) / 1000;
    const log = await membershipLog(net, org.channel);
    const peer = `peer0.${org.domain}`;
    const members = await channelMembers(org.sim, peer, org.channel);
    const committed = await inCli(
        org.sim,
        peer,
        `peer lifecycle chaincode querycommitted -C '${org.channel}' -n '${org.chaincode}'`,
    );
    return { up, seconds, log, members, committed, policy: cc.endorsementPolicy as string };
}

/**
 * An invoke endorsed by `org`'s peer alone (the only --peerAddresses), sent from the org's CLI: it commits as
 * valid only because the org's endorsement satisfies the chaincode's policy. Returns A read on `reader` (a
 * peer of another org, in its CLI) before and after, and the invoke's output.
 */
export async function invokeEndorsedBy(
    net: RunningNetwork,
    org: NewOrg,
    reader: { host: string; peer: string },
): Promise<{ before: string; after: string; invoke: string }> {
    const peer = `peer0.${org.domain}`;
    const query = `peer chaincode query -C '${org.channel}' -n '${org.chaincode}' -c '{"function":"query","Args":["A"]}'`;
    const readerSim = net.host(reader.host);
    const before = (await inCli(readerSim, reader.peer, query)).trim();
    const invoke = await onHost(org.sim, [
        "docker",
        "exec",
        `cli.${peer}`,
        "sh",
        "-c",
        // The CLIs log at WARNING; the line naming the validation code is at INFO.
        `FABRIC_LOGGING_SPEC=INFO peer chaincode invoke -C '${org.channel}' -n '${org.chaincode}' -c '{"function":"invoke","Args":["A","B","1"]}' --peerAddresses ${peer}:7051 --tlsRootCertFiles /work/tlsca/${org.domain}.pem --waitForEvent ${ORDERER_ARGS} 2>&1`,
    ]);
    let after = before;
    for (let i = 0; i < 20 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        after = (await inCli(readerSim, reader.peer, query)).trim();
    }
    return { before, after, invoke };
}

/**
 * Removes `org` again: out of the channel, the chaincode's policy back to the other orgs (sequence + 1), the org
 * and its spare host (and that host's key) out of the stack. One `up`. Returns the up, the membership log, the
 * channel's members read from `reader`, what still runs on the spare host and its volumes.
 */
export async function removeOrg(net: RunningNetwork, org: NewOrg, reader: { host: string; peer: string }) {
    const raw = clone(net.config.plain) as Raw;
    raw.organizations = raw.organizations.filter((o: Raw) => o.name !== org.name);
    const ch = raw.channels.find((c: Raw) => c.name === org.channel);
    ch.organizations = ch.organizations.filter((o: string) => o !== org.name);
    const cc = raw.chaincodes.find((c: Raw) => c.name === org.chaincode);
    cc.endorsementPolicy = cc.endorsementPolicy.replace(`,'${org.mspId}.member'`, "");
    cc.sequence = cc.sequence + 1;
    raw.hosts = raw.hosts.filter((h: Raw) => h.name !== org.host);
    await setConfig(net, raw);
    await net.stack.removeConfig(`credentials.${org.host}`, true);
    delete net.config.credentials[org.host];
    const t0 = Date.now();
    const up = await net.stack.up({ onOutput: (s) => process.stdout.write(s) });
    const seconds = (Date.now() - t0) / 1000;
    const log = await membershipLog(net, org.channel);
    const members = await channelMembers(net.host(reader.host), reader.peer, org.channel);
    const containers = (await onHost(org.sim, ["docker", "ps", "-a", "--format", "{{.Names}}"])).trim();
    const volumes = (await onHost(org.sim, ["docker", "volume", "ls", "--format", "{{.Name}}"])).trim();
    return { up, seconds, log, members, containers, volumes, policy: cc.endorsementPolicy as string };
}

/**
 * Moves orderer `name` to a host new to the stack (`to`, played by simulated host `sim`) by editing the stack:
 * the host and its key added, the orderer's `host` changed and its old host named in `movedFrom`. One `up`: the
 * orderer is stopped on its old host and its ledger carried over before it starts on the new one. Then an invoke
 * through it from `reader`'s CLI, and `movedFrom` removed again in a second `up`. Returns both ups, the orderer's
 * containers on each side, the chain height it serves before and after, and the invoke's output.
 */
export async function moveOrderer(
    net: RunningNetwork,
    name: string,
    to: { name: string; sim: SimHost },
    reader: { host: string; peer: string },
) {
    const raw = clone(net.config.plain) as Raw;
    const o = (raw.ordering.orderers as Raw[]).find((x) => x.name === name)!;
    const from = o.host as string;
    const fqdn = `${name}.example.com`;
    const readerSim = net.host(reader.host);
    const height = async () => {
        const out = await inCli(
            readerSim,
            reader.peer,
            // The CLIs log at WARNING; the line naming the block is at INFO.
            `f=$(mktemp); FABRIC_LOGGING_SPEC=INFO peer channel fetch newest "$f" -c mychannel ${ORDERER_ARGS} 2>&1 | grep -o 'Received block: [0-9]*' | tail -1`,
        );
        return Number(/Received block: (\d+)/.exec(out)?.[1] ?? NaN);
    };
    const before = await height();
    const workdir = `${net.workdir(from).replace(/\/[^/]+$/, "")}/${to.name}`;
    raw.hosts.push({ name: to.name, address: to.sim.address, sshPort: to.sim.sshPort, user: to.sim.user, workdir });
    o.host = to.name;
    o.movedFrom = from;
    const key = fs.readFileSync(to.sim.keyFile, "utf8");
    await net.stack.setConfig(`credentials.${to.name}.privateKey`, { value: key, secret: true }, true);
    net.config.credentials[to.name] = { privateKey: key };
    await setConfig(net, raw);
    await net.stack.setConfig(`${NS}:ordering`, { value: JSON.stringify(raw.ordering) });
    net.config.plain.ordering = raw.ordering;
    const started = Date.now();
    const up = await net.stack.up({ onOutput: (s) => process.stdout.write(s) });
    const seconds = (Date.now() - started) / 1000;
    const after = await height();
    const invoke = await inCli(
        readerSim,
        reader.peer,
        `FABRIC_LOGGING_SPEC=INFO peer chaincode invoke -C mychannel -n mycc -c '{"function":"invoke","Args":["A","B","1"]}' --waitForEvent ${ORDERER_ARGS} 2>&1`,
    );
    const onNew = (await onHost(to.sim, ["docker", "ps", "--format", "{{.Names}}"])).split("\n");
    const onOld = (await onHost(net.host(from), ["docker", "ps", "-a", "--format", "{{.Names}}"])).split("\n");

    const settled = clone(raw.ordering) as Raw;
    delete (settled.orderers as Raw[]).find((x) => x.name === name)!.movedFrom;
    await net.stack.setConfig(`${NS}:ordering`, { value: JSON.stringify(settled) });
    net.config.plain.ordering = settled;
    const settle = await net.stack.up();
    return {
        up,
        seconds,
        settle,
        before,
        after,
        invoke,
        running: onNew.includes(fqdn),
        leftOnOld: onOld.includes(fqdn),
    };
}
