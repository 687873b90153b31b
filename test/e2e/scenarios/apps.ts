/**
 * E2E phase: what an application developer does with a deployed network. The identity command writes an org's
 * folder from the stack's outputs; the stock Fabric Gateway client and the older fabric-network SDK use that
 * folder as it is to evaluate and submit; the benchmark runs a short sweep. Each function takes the running
 * stack's context, so the phase can run on any network the suite has brought up (test/e2e/apps.test.ts runs it
 * on the local topology on one simulated host).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { ROOT } from "../../support/stacks";
import { sh, waitFor } from "../support/harness";
import { connectGateway, readAppFolder } from "../../../scripts/lib/gateway";

export interface AppsContext {
    /** The deployed stack's name. */
    readonly stackName: string;
    /** Environment that opens the stack's backend (backend URL, passphrase, PULUMI_HOME, PATH). */
    readonly env: Record<string, string>;
    /** A scratch folder for the identity folders. */
    readonly scratch: string;
    /** The address the operator's machine dials for the peers (a simulated host's, or 127.0.0.1). */
    readonly peerAddress: string;
}

const env = (ctx: AppsContext) => ({ ...process.env, ...ctx.env });

/** Compiles the scripts once; the phases then run the commands as `npm run identity|bench` do, without npm. */
export async function buildScripts(): Promise<void> {
    await sh("npm", ["run", "--silent", "build"], { timeoutMs: 5 * 60 * 1000 });
}

export async function identityCommand(ctx: AppsContext, args: string[]): Promise<string> {
    return (
        await sh("node", [path.join(ROOT, "bin/scripts/identity.js"), ctx.stackName, ...args], { env: env(ctx) })
    ).trim();
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Writes Org1's User1 folder (org given by name) and Org5's User2 (by MSP id) and checks their layout. */
export async function writeIdentityFolders(ctx: AppsContext): Promise<{ org1: string; org5: string }> {
    const org1 = await identityCommand(ctx, ["Org1", "--out", path.join(ctx.scratch, "org1-user1")]);
    const org5 = await identityCommand(ctx, ["Org5MSP", "User2", "--out", path.join(ctx.scratch, "org5-user2")]);
    expect(org1).toBe(path.join(ctx.scratch, "org1-user1"));
    for (const [dir, label] of [
        [org1, "User1@org1.example.com"],
        [org5, "User2@org5.example.com"],
    ] as const) {
        expect(mode(dir), dir).toBe(0o700);
        expect(mode(path.join(dir, "msp/keystore/priv_sk"))).toBe(0o600);
        expect(mode(path.join(dir, `wallet/${label}.id`))).toBe(0o600);
        expect(fs.readFileSync(path.join(dir, "msp/keystore/priv_sk"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
        const { config } = readAppFolder(dir);
        expect(config.identity.label).toBe(label);
        for (const p of config.peers) expect(p.endpoint.startsWith(`${ctx.peerAddress}:`), p.endpoint).toBe(true);
        const profile = JSON.parse(fs.readFileSync(path.join(dir, "connection-profile.json"), "utf8"));
        expect(profile.peers["peer0.org1.example.com"].url).toBe(`grpcs://${ctx.peerAddress}:7051`);
    }
    // A user the org does not have is refused with what it has.
    await expect(identityCommand(ctx, ["Org1MSP", "User2", "--out", path.join(ctx.scratch, "none")])).rejects.toThrow(
        /Org1MSP has no user "User2"; it has User1/,
    );
    return { org1, org5 };
}

/** The stock gateway client with each folder: evaluate the seed's query, submit a put, read it back. */
export async function gatewayEvaluatesAndSubmits(folders: { org1: string; org5: string }): Promise<void> {
    const key = `e2e-gateway-${Date.now()}`;
    const a = connectGateway(folders.org1);
    const b = connectGateway(folders.org5, { peer: 1 });
    try {
        const mycc1 = a.contract("mychannel", "mycc");
        const mycc5 = b.contract("mychannel", "mycc");
        const balance = Buffer.from(await mycc1.evaluateTransaction("query", "A")).toString();
        console.log(`gateway (${a.peer}): query A = ${balance}`);
        expect(balance).toMatch(/^-?\d+$/);
        await mycc5.submitTransaction("put", key, "from org5 user2");
        // Committed on the submitting gateway's peer: the gateway returns once that peer has the block.
        expect(Buffer.from(await mycc5.evaluateTransaction("get", key)).toString()).toBe("from org5 user2");
        // The other org's peer commits the same block on its own schedule (Fabric makes no promise of when):
        // bounded, so a block that never arrives fails the test.
        const other = await waitFor(`${key} on ${a.peer}`, 30_000, () =>
            mycc1.evaluateTransaction("get", key).then(
                (r) => Buffer.from(r).toString(),
                () => undefined,
            ),
        );
        expect(other).toBe("from org5 user2");
        console.log(`gateway (${b.peer}): put ${key}; read back on ${a.peer}`);
    } finally {
        a.close();
        b.close();
    }
}

/** fabric-network (the older SDK) with the folder's profile, wallet and discovery options. */
export async function fabricNetworkUsesFolder(dir: string): Promise<void> {
    // Loaded here: the SDK is a test dependency only.
    const { Gateway, Wallets } = await import("fabric-network");
    const { config } = readAppFolder(dir);
    const fn = config.fabricNetwork;
    const wallet = await Wallets.newFileSystemWallet(path.join(dir, fn.wallet));
    const profile = JSON.parse(fs.readFileSync(path.join(dir, fn.profile), "utf8")) as Record<string, unknown>;
    const gateway = new Gateway();
    await gateway.connect(profile, { wallet, identity: fn.identity, discovery: fn.discovery });
    try {
        const contract = (await gateway.getNetwork("mychannel")).getContract("mycc");
        const key = `e2e-fabric-network-${Date.now()}`;
        await contract.submitTransaction("put", key, "via fabric-network");
        expect((await contract.evaluateTransaction("get", key)).toString()).toBe("via fabric-network");
        console.log(`fabric-network (discovery ${JSON.stringify(fn.discovery)}): put and get ${key}`);
    } finally {
        gateway.disconnect();
    }
}

/** A short benchmark sweep: every transaction commits, and the table has a row per level. */
export async function benchSweep(ctx: AppsContext): Promise<string> {
    const out = await sh(
        "node",
        [path.join(ROOT, "bin/scripts/bench.js"), ctx.stackName, "--levels", "1,4", "--count", "12"],
        { env: env(ctx), timeoutMs: 10 * 60 * 1000 },
    );
    console.log(out);
    expect(out).toMatch(/^batch settings: timeout 2s, maxMessageCount 10,/m);
    const rows = out.split("\n").filter((l) => /^\s+\d+\s+12\s+\d+\s+\d+\s/.test(l));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.trim().split(/\s+/).slice(1, 4)).toEqual(["12", "12", "0"]);
    expect(out).toMatch(/read back bench-\S+-c4-\d+ = \d+/);
    return out;
}
