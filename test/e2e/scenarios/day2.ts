/**
 * Day-2 changes on a running network, as phases over a RunningNetwork: grow the channel's ledger to a given
 * number of blocks with real traffic, then add a peer to an org by editing the stack and running one `up`.
 */
import { DEFAULTS } from "../../../config";
import { allPeers } from "../../../plan";
import { Traffic, gatewaysFor, peerLedger } from "./faults";
import { RunningNetwork, hostEngine } from "../support/harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Submits transactions (enough in flight that blocks are cut by count, not by the batch timeout) until the
 * channel of the first chaincode holds at least `blocks` blocks; bounded. Returns the height reached.
 */
export async function growChannel(net: RunningNetwork, blocks: number, boundMs = 10 * 60_000): Promise<number> {
    const cc = net.spec.chaincodes[0]!;
    const first = allPeers(net.spec)[0]!;
    let height = (await peerLedger(net, first, cc.channel)).height;
    if (height >= blocks) return height;
    const clients = await gatewaysFor(net);
    const traffic = new Traffic(
        clients.map((c) => ({ peer: c.peer, contract: c.contract(cc.channel, cc.name) })),
        `grow${Date.now().toString(36)}`,
        2 * net.spec.batch.maxMessageCount,
    );
    const t0 = Date.now();
    traffic.start();
    try {
        while (height < blocks) {
            if (Date.now() - t0 > boundMs) throw new Error(`${cc.channel} reached ${height} of ${blocks} blocks`);
            await sleep(5000);
            height = (await peerLedger(net, first, cc.channel)).height;
        }
    } finally {
        await traffic.stop();
        for (const c of clients) c.close();
    }
    const s = traffic.stats(t0, Date.now());
    console.log(
        `day2: ${cc.channel} grown to ${height} blocks in ${((Date.now() - t0) / 1000).toFixed(0)} s ` +
            `(sent ${s.sent}, committed ${s.committed}, failed ${s.failed})`,
    );
    return (await peerLedger(net, first, cc.channel)).height;
}

/**
 * Adds peer `name` to org `org` on host `host` (ports given) by editing the stack's organizations, and runs one
 * `up`. Returns the up's result and the new peer's join-step output.
 */
export async function addPeer(
    net: RunningNetwork,
    peer: { org: string; name: string; host: string; port: number; operationsPort: number },
) {
    const ns = DEFAULTS.namespace;
    const orgs = JSON.parse(JSON.stringify(net.config.plain.organizations)) as Array<{
        name: string;
        peers: Array<Record<string, unknown>>;
    }>;
    const org = orgs.find((o) => o.name === peer.org);
    if (!org) throw new Error(`no org ${peer.org}`);
    org.peers.push({ name: peer.name, host: peer.host, port: peer.port, operationsPort: peer.operationsPort });
    await net.stack.setConfig(`${ns}:organizations`, { value: JSON.stringify(orgs) });
    net.config.plain.organizations = orgs;
    const up = await net.stack.up({ onOutput: (s) => process.stdout.write(s) });
    const state = (await net.stack.exportStack()).deployment as {
        resources: Array<{ type: string; urn: string; outputs?: { stdout?: string } }>;
    };
    const join = state.resources.find(
        (r) => r.type === "command:remote:Command" && r.urn.includes(`-join-${peer.name}-`),
    );
    return { up, joinOutput: join?.outputs?.stdout ?? "" };
}

/**
 * Runs `up` while host `hostName` is off the network: it must fail before changing anything, naming the host
 * and its steps. Then, with the host back, `up` again must succeed and change nothing.
 */
export async function upWhileHostUnreachable(net: RunningNetwork, hostName: string) {
    const sim = net.host(hostName);
    let error = "";
    await hostEngine(sim, "disconnect");
    try {
        const t0 = Date.now();
        await net.stack.up().then(
            () => (error = ""),
            (e: Error) => (error = e.message),
        );
        console.log(`day2: up with ${hostName} unreachable failed after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } finally {
        await hostEngine(sim, "connect");
    }
    const again = await net.stack.up();
    return { error, again };
}
