/** A peer with a CouchDB state database, under mocks: generated credentials that only ever travel as secrets. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { byType, installMocks, recorded, setStackConfig, valueOf } from "../support/mocks";
import { clone, rawStackConfig, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const isSecret = (v: any) => !!v && typeof v === "object" && v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270";

/** Every input value that is not wrapped as a secret, as JSON. */
function plainInputs(): string {
    const strip = (v: any): any =>
        isSecret(v)
            ? "<secret>"
            : Array.isArray(v)
              ? v.map(strip)
              : v && typeof v === "object"
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]))
                : v;
    return JSON.stringify(recorded.map((r) => strip(r.inputs)));
}

describe("a peer with CouchDB under mocks", () => {
    beforeAll(async () => {
        installMocks(false);
        const raw = clone(rawStackConfig("dev")) as { organizations: Array<{ peers: Array<Record<string, unknown>> }> };
        raw.organizations[1]!.peers[1]!.stateDatabase = "couchdb"; // bar.org5
        setStackConfig(withTestCredentials(raw), ["credentials"]);
        const { loadConfig } = await import("../../config/load");
        const { FabricNetwork } = await import("../../components/network");
        await valueOf(new FabricNetwork("fabric", { config: loadConfig() }).urn);
        await new Promise((r) => setTimeout(r, 200));
    });

    it("generates one password, for bar.org5 only", () => {
        const passwords = byType("random:index/randomPassword:RandomPassword");
        expect(passwords.map((p) => p.name)).toEqual(["bar.org5.example.com-couchdb-password"]);
        expect(passwords[0]!.inputs.special).toBe(false);
    });

    it("runs CouchDB on the peer's host, unpublished, with a kept data volume", () => {
        const couch = byType("docker:index/container:Container").find(
            (c) => c.inputs.name === "couchdb.bar.org5.example.com",
        )!;
        expect(couch.provider).toContain("::bar-org5-docker::");
        expect(couch.inputs.ports ?? []).toEqual([]);
        expect(JSON.stringify(couch.inputs.volumes)).toContain("couchdb.bar.org5.example.com-data");
        // Ready means an authenticated admin request succeeds, asked on the peer's host with the container's own
        // credentials; the peer waits for it (test/components/readiness.test.ts checks the edge).
        expect(couch.inputs.healthcheck).toBeUndefined();
        const ready = byType("command:remote:Command").find((r) => r.name === "bar-org5-couchdb-ready")!;
        expect(ready.inputs.connection.value.host).toBe("203.0.113.13");
        expect(ready.inputs.create).toContain(
            `curl -fsS --max-time 4 -o /dev/null -u "$COUCHDB_USER:$COUCHDB_PASSWORD" "http://127.0.0.1:$0/_all_dbs"`,
        );
    });

    it("passes the credentials to CouchDB and the peer as secrets only", () => {
        const containers = byType("docker:index/container:Container");
        const couch = containers.find((c) => c.inputs.name === "couchdb.bar.org5.example.com")!;
        const peer = containers.find((c) => c.inputs.name === "bar.org5.example.com")!;
        expect(isSecret(couch.inputs.envs)).toBe(true);
        expect(couch.inputs.envs.value).toContain(
            "COUCHDB_PASSWORD=mock-password-bar.org5.example.com-couchdb-password",
        );
        expect(isSecret(peer.inputs.envs)).toBe(true);
        expect(peer.inputs.envs.value).toContain("CORE_LEDGER_STATE_STATEDATABASE=CouchDB");
        expect(peer.inputs.envs.value).toContain(
            "CORE_LEDGER_STATE_COUCHDBCONFIG_PASSWORD=mock-password-bar.org5.example.com-couchdb-password",
        );
        expect(plainInputs()).not.toContain("mock-password");
    });
});
