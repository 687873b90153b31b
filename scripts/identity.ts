/**
 * npm run identity -- <stack> <org> [user] [--out DIR]
 *
 * Writes, for one client user of one org (MSP id or org name; user default User1), the folder an application
 * uses as it is: connection profile, identity (certificate and key), TLS CA certificates, a fabric-network
 * wallet entry and gateway.json for @hyperledger/fabric-gateway (layout: plan/appFolder.ts). The material comes
 * from the stack's outputs (`connectionProfiles`, and the secret `identities`). The folder is owner-only; its
 * path is printed, the key never is.
 *
 * Default DIR: ~/.fabric-kafka/identities/fabric-kafka-<stack>/<MSP id>/<user>.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClientIdentities, ConnectionProfile, FolderFile, applicationFolder } from "../plan";
import { stackOutputs } from "./lib/workspace";

/** Picks the org by MSP id or by name (profiles are named `fabric-kafka-<org name in lower case>`). */
export function pickOrg(profiles: Record<string, string>, org: string): string {
    if (profiles[org]) return org;
    const byName = Object.entries(profiles).find(
        ([, p]) => (JSON.parse(p) as ConnectionProfile).name === `fabric-kafka-${org.toLowerCase()}`,
    );
    if (byName) return byName[0];
    throw new Error(`no organisation ${JSON.stringify(org)} in the stack; it has ${Object.keys(profiles).join(", ")}`);
}

/** Writes the files: the folder 0700, key files 0600, the rest 0644; files of an earlier run are replaced. */
export function writeFolder(dir: string, files: readonly FolderFile[]): void {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    for (const f of files) {
        const target = path.join(dir, f.path);
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        fs.rmSync(target, { force: true });
        fs.writeFileSync(target, f.content, { mode: f.secret ? 0o600 : 0o644 });
    }
}

export interface IdentityRequest {
    readonly stack: string;
    readonly org: string;
    readonly user?: string;
    readonly out?: string;
}

/** Reads the stack's outputs and writes the folder; returns its path. */
export async function writeIdentity(req: IdentityRequest): Promise<string> {
    const outputs = await stackOutputs(req.stack);
    const profiles = outputs.connectionProfiles as Record<string, string> | undefined;
    const identities = outputs.identities as ClientIdentities | undefined;
    if (!profiles || !identities) {
        throw new Error(`stack ${req.stack} exports no connectionProfiles/identities: run up with this version first`);
    }
    const mspId = pickOrg(profiles, req.org);
    const user = req.user ?? "User1";
    const identity = identities[mspId]?.[user];
    if (!identity) {
        const have = Object.keys(identities[mspId] ?? {});
        throw new Error(
            `${mspId} has no user ${JSON.stringify(user)}; it has ${have.length ? have.join(", ") : "none"} (config organizations[].users)`,
        );
    }
    const chaincodes = (outputs.chaincodes ?? {}) as Record<string, { channel: string }>;
    const files = applicationFolder(JSON.parse(profiles[mspId]!) as ConnectionProfile, identity, chaincodes);
    const dir = path.resolve(
        req.out ?? path.join(os.homedir(), ".fabric-kafka", "identities", `fabric-kafka-${req.stack}`, mspId, user),
    );
    writeFolder(dir, files);
    return dir;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const i = args.indexOf("--out");
    const out = i >= 0 ? args[i + 1] : undefined;
    if (i >= 0 && !out) throw new Error("--out needs a directory");
    const positional = args.filter((_, k) => i < 0 || (k !== i && k !== i + 1));
    const [stack, org, user] = positional;
    if (!stack || !org) throw new Error("usage: npm run identity -- <stack> <org> [user] [--out DIR]");
    const dir = await writeIdentity({ stack, org, ...(user ? { user } : {}), ...(out ? { out } : {}) });
    console.log(dir);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
