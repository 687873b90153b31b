import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
    applicationFolder,
    buildPlan,
    clientIdentities,
    connectionProfile,
    connectionProfiles,
    gatewayConfig,
    readTar,
    tlsCaCertificates,
    unpackArchive,
} from "../../plan";
import { fakeCryptoArchive, fakeCryptoFiles, gnuTar } from "../support/fakeCrypto";
import { stackSpec } from "../support/stacks";
import { NetworkSpec } from "../../config";

const dev = stackSpec("dev");
const local = stackSpec("local");
const material = (spec: NetworkSpec) => unpackArchive(fakeCryptoArchive(buildPlan(spec).cryptoConfigYaml));

describe("reading the material archive", () => {
    it("reads what GNU tar writes, long names included, in both gnu and pax formats", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-tar-"));
        const long = `crypto-config/peerOrganizations/org5.example.com/users/User1@org5.example.com/msp/signcerts/${"x".repeat(80)}.pem`;
        fs.mkdirSync(path.join(dir, path.dirname(long)), { recursive: true });
        fs.writeFileSync(path.join(dir, long), "long\n");
        fs.writeFileSync(path.join(dir, "identities"), "a\nb\n");
        for (const format of ["gnu", "pax"]) {
            const tar = execFileSync("tar", [`--format=${format}`, "-C", dir, "-cf", "-", "."]);
            const files = readTar(tar);
            expect([...files.keys()].sort(), format).toEqual([long, "identities"].sort());
            expect(files.get(long)!.toString(), format).toBe("long\n");
            expect(files.get("identities")!.toString(), format).toBe("a\nb\n");
        }
    });

    it("reads the base64 gzipped form the crypto step prints", () => {
        const b64 = gzipSync(gnuTar([["./a/b.pem", "B"]])).toString("base64");
        expect(Object.fromEntries([...unpackArchive(b64)].map(([k, v]) => [k, v.toString()]))).toEqual({
            "a/b.pem": "B",
        });
    });

    it("refuses something that is not a gzipped tar, saying so", () => {
        expect(() => unpackArchive("stdout-of-crypto-cryptogen")).toThrow(/not a base64 gzipped tar/);
    });
});

describe("identities and TLS CA certificates from the material", () => {
    it("reads every org's TLS CA and each of its client users", () => {
        const files = material(dev);
        expect(Object.keys(tlsCaCertificates(dev, files)).sort()).toEqual([
            "example.com",
            "org1.example.com",
            "org5.example.com",
        ]);
        const ids = clientIdentities(dev, files);
        expect(Object.keys(ids)).toEqual(["Org1MSP", "Org5MSP"]);
        expect(ids.Org5MSP!.User1).toEqual({
            mspId: "Org5MSP",
            user: "User1",
            label: "User1@org5.example.com",
            certificate: "-----BEGIN FAKE-----\ncert User1@org5.example.com\n-----END FAKE-----\n",
            privateKey: "-----BEGIN FAKE-----\nkey User1@org5.example.com\n-----END FAKE-----\n",
        });
    });

    it("gives an org as many users as its `users` setting", () => {
        const spec = { ...dev, organizations: dev.organizations.map((o) => ({ ...o, users: 3 })) };
        const ids = clientIdentities(spec, material(spec));
        expect(Object.keys(ids.Org1MSP!)).toEqual(["User1", "User2", "User3"]);
        const none = { ...dev, organizations: dev.organizations.map((o) => ({ ...o, users: 0 })) };
        expect(clientIdentities(none, material(none))).toEqual({ Org1MSP: {}, Org5MSP: {} });
    });

    it("names the missing file when the material does not match the spec", () => {
        const files = new Map(material(dev));
        files.delete("crypto-config/peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
        expect(() => tlsCaCertificates(dev, files)).toThrow(
            "crypto material: crypto-config/peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem is missing",
        );
        const noKey = new Map(material(dev));
        noKey.delete(
            "crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/keystore/priv_sk",
        );
        expect(() => clientIdentities(dev, noKey)).toThrow(
            /expected one key in .*User1@org1.example.com\/msp\/keystore, found 0/,
        );
    });
});

describe("connection profiles, as dialled from the operator's machine", () => {
    const pems = (spec: NetworkSpec) => tlsCaCertificates(spec, material(spec));

    it("reach a local stack through 127.0.0.1 with the node's TLS name as override", () => {
        const p = connectionProfile(local, local.organizations[1]!, pems(local));
        expect(p.peers["bar.org5.example.com"]).toEqual({
            url: "grpcs://127.0.0.1:9051",
            tlsCACerts: { pem: "-----BEGIN FAKE-----\ntlsca org5.example.com\n-----END FAKE-----\n" },
            grpcOptions: {
                "ssl-target-name-override": "bar.org5.example.com",
                hostnameOverride: "bar.org5.example.com",
            },
        });
        expect(p.orderers["orderer2.example.com"]!.url).toBe("grpcs://127.0.0.1:9050");
    });

    it("reach ssh hosts through the host addresses", () => {
        const p = connectionProfile(dev, dev.organizations[0]!, pems(dev));
        for (const o of dev.organizations) {
            for (const peer of o.peers) {
                const host = dev.hosts.find((h) => h.name === peer.host)!;
                expect(p.peers[peer.fqdn]!.url).toBe(`grpcs://${host.address}:${peer.port}`);
            }
        }
        expect(Object.keys(p.channels.mychannel!.peers)).toEqual([
            "peer0.org1.example.com",
            "foo27.org5.example.com",
            "bar.org5.example.com",
        ]);
    });

    it("use plain grpc and no certificates when TLS is off", () => {
        const p = connectionProfile({ ...local, tls: false }, local.organizations[0]!, pems(local));
        expect(p.peers["peer0.org1.example.com"]).toEqual({ url: "grpc://127.0.0.1:7051", grpcOptions: {} });
    });

    it("match their snapshots (dev and local)", () => {
        expect(connectionProfiles(dev, pems(dev))).toMatchSnapshot();
        expect(connectionProfiles(local, pems(local))).toMatchSnapshot();
    });
});

describe("the application folder", () => {
    const chaincodes = { mycc: { channel: "mychannel" } };
    const folder = (spec: NetworkSpec, org: number) => {
        const files = material(spec);
        const profile = connectionProfile(spec, spec.organizations[org]!, tlsCaCertificates(spec, files));
        const id = clientIdentities(spec, files)[spec.organizations[org]!.mspId]!.User1!;
        return { profile, id, files: applicationFolder(profile, id, chaincodes) };
    };

    it("holds the profile, the identity, the TLS CAs, a wallet entry and a README; only key files are secret", () => {
        const { files } = folder(local, 0);
        expect(files.map((f) => [f.path, f.secret])).toEqual([
            ["connection-profile.json", false],
            ["gateway.json", false],
            ["msp/signcerts/cert.pem", false],
            ["msp/keystore/priv_sk", true],
            ["tls/example.com-ca.pem", false],
            ["tls/org1.example.com-ca.pem", false],
            ["tls/org5.example.com-ca.pem", false],
            ["wallet/User1@org1.example.com.id", true],
            ["README.md", false],
        ]);
        const wallet = JSON.parse(files.find((f) => f.path.startsWith("wallet/"))!.content);
        // fabric-network's X.509 wallet format, version 1.
        expect(wallet).toEqual({
            credentials: {
                certificate: "-----BEGIN FAKE-----\ncert User1@org1.example.com\n-----END FAKE-----\n",
                privateKey: "-----BEGIN FAKE-----\nkey User1@org1.example.com\n-----END FAKE-----\n",
            },
            mspId: "Org1MSP",
            type: "X.509",
            version: 1,
        });
    });

    it("points the gateway client at the org's own peers; discovery only where every node is on loopback", () => {
        const l = folder(local, 1);
        const g = gatewayConfig(l.profile, l.id, chaincodes);
        expect(g.peers).toEqual([
            {
                name: "foo27.org5.example.com",
                endpoint: "127.0.0.1:8051",
                hostnameOverride: "foo27.org5.example.com",
                tlsCACert: "tls/org5.example.com-ca.pem",
            },
            {
                name: "bar.org5.example.com",
                endpoint: "127.0.0.1:9051",
                hostnameOverride: "bar.org5.example.com",
                tlsCACert: "tls/org5.example.com-ca.pem",
            },
        ]);
        expect(g.channels).toEqual({ mychannel: { chaincodes: ["mycc"] } });
        expect(g.fabricNetwork.discovery).toEqual({ enabled: true, asLocalhost: true });
        const d = folder(dev, 0);
        expect(gatewayConfig(d.profile, d.id, chaincodes).fabricNetwork.discovery).toEqual({
            enabled: false,
            asLocalhost: false,
        });
        // Every path gateway.json names is a file of the folder.
        const paths = new Set(l.files.map((f) => f.path));
        for (const p of [g.identity.certificate, g.identity.privateKey, ...g.peers.map((x) => x.tlsCACert!)]) {
            expect(paths.has(p), p).toBe(true);
        }
    });

    it("turns discovery on for loopback nodes with TLS too, and lists only the channel's chaincodes, sorted", () => {
        const l = folder(local, 1);
        const tlsUrl = <T extends { url: string }>(n: T): T => ({ ...n, url: n.url.replace(/^grpc:/, "grpcs:") });
        const profile = {
            ...l.profile,
            peers: Object.fromEntries(Object.entries(l.profile.peers).map(([k, v]) => [k, tlsUrl(v)])),
            orderers: Object.fromEntries(Object.entries(l.profile.orderers).map(([k, v]) => [k, tlsUrl(v)])),
        };
        const g = gatewayConfig(profile, l.id, {
            mycc: { channel: "mychannel" },
            other: { channel: "otherchannel" },
            basic: { channel: "mychannel" },
        });
        expect(g.fabricNetwork.discovery).toEqual({ enabled: true, asLocalhost: true });
        expect(g.peers.map((p) => p.endpoint)).toEqual(["127.0.0.1:8051", "127.0.0.1:9051"]);
        expect(g.channels).toEqual({ mychannel: { chaincodes: ["basic", "mycc"] } });
        // A profile without nodes has nothing to discover from.
        const organizations = Object.fromEntries(
            Object.entries(profile.organizations).map(([k, o]) => [k, { ...o, peers: [] }]),
        );
        const none = gatewayConfig({ ...profile, organizations, peers: {}, orderers: {} }, l.id, {});
        expect(none.fabricNetwork.discovery).toEqual({ enabled: false, asLocalhost: false });
    });

    it("matches its snapshot (local, Org1 User1)", () => {
        expect(folder(local, 0).files).toMatchSnapshot();
    });

    it("makes the fake material from the crypto config it is given (no file for a user that does not exist)", () => {
        const names = fakeCryptoFiles(buildPlan(local).cryptoConfigYaml).map(([n]) => n);
        expect(names.filter((n) => n.includes("/users/"))).toHaveLength(4);
    });
});
