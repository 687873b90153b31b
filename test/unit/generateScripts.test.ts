/**
 * The operator-side scripts run for real here, with a stand-in `cryptogen` on PATH (tools.mode "path") that
 * writes one key file per identity: create, extend without touching existing keys, refusal to lose an
 * identity, per-host bundles holding exactly their manifest, and delivery with owner-only permissions.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import { artifactsScript, bundleScript, buildPlan, cryptoScript, deliverScript, manifest } from "../../plan";
import { stackSpec } from "../support/stacks";

const FAKE_CRYPTOGEN = `#!/bin/sh
# generate --config F --output D | extend --input D --config F: one key per Hostname line, kept if present.
set -e
cmd=$1; shift
while [ $# -gt 0 ]; do case $1 in --config) cfg=$2; shift 2;; --output|--input) out=$2; shift 2;; *) shift;; esac; done
[ "$cmd" = generate ] && [ -d "$out" ] && { echo "generate over existing output" >&2; exit 3; }
grep -o 'Hostname: [a-z0-9]*' "$cfg" | cut -d' ' -f2 | while read -r h; do
  mkdir -p "$out/nodes/$h/keystore"
  [ -f "$out/nodes/$h/keystore/priv_sk" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > "$out/nodes/$h/keystore/priv_sk"
done
echo "$cmd done" >&2
`;

let bin: string;
const withPeer = (spec: NetworkSpec, name: string): NetworkSpec => {
    const orgs = spec.organizations.map((o, i) =>
        i === 1
            ? {
                  ...o,
                  peers: [...o.peers, { ...o.peers[0]!, name, fqdn: `${name}.${o.domain}`, host: o.peers[0]!.host }],
              }
            : o,
    );
    return { ...spec, organizations: orgs };
};

function run(
    script: string,
    env: Record<string, string>,
    stdin = "",
): { code: number; stdout: string; stderr: string } {
    try {
        const stdout = execFileSync("bash", ["-c", script], {
            input: stdin,
            env: { PATH: `${bin}:${process.env.PATH}`, HOME: os.tmpdir(), ...env },
            encoding: "utf8",
            stdio: ["pipe", "pipe", "pipe"],
        });
        return { code: 0, stdout, stderr: "" };
    } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, stdout: err.stdout, stderr: err.stderr };
    }
}

function untar(b64: string): Map<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "untar-"));
    execFileSync("tar", ["-xzf", "-", "-C", dir], { input: Buffer.from(b64.trim(), "base64") });
    const out = new Map<string, string>();
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out.set(path.relative(dir, p), fs.readFileSync(p, "utf8"));
        }
    };
    walk(dir);
    return out;
}

describe("crypto material step", () => {
    let spec: NetworkSpec;
    let plan: ReturnType<typeof buildPlan>;
    let first: string;

    beforeAll(() => {
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "fakebin-"));
        fs.writeFileSync(path.join(bin, "cryptogen"), FAKE_CRYPTOGEN, { mode: 0o755 });
    });

    // Each test generates its own material (in beforeEach, not beforeAll): the mutation run then knows which
    // test reaches the script builders, instead of running every test against each of their mutants.
    beforeEach(() => {
        spec = { ...stackSpec("dev"), tools: { mode: "path" as const } };
        plan = buildPlan(spec);
        const r = run(cryptoScript(spec), { CRYPTO_CONFIG: plan.cryptoConfigYaml, IDENTITIES: plan.identities });
        expect(r.code, r.stderr).toBe(0);
        first = r.stdout;
    });

    /** The crypto step's update run: the material for `next`, extending the archive `first` printed. */
    const extend = (next: { cryptoConfigYaml: string; identities: string }) =>
        run(cryptoScript(spec), {
            CRYPTO_CONFIG: next.cryptoConfigYaml,
            IDENTITIES: next.identities,
            PULUMI_COMMAND_STDOUT: first,
        });

    it("prints the whole material, and the identities it holds, as one archive", () => {
        const files = untar(first);
        expect([...files.keys()].filter((f) => f.endsWith("priv_sk")).sort()).toEqual(
            // With TLS the backend's nodes have identities too (their own CAs, not Fabric MSPs).
            [
                "bar",
                "foo27",
                "kafka1",
                "kafka2",
                "kafka3",
                "kafka4",
                "orderer0",
                "orderer1",
                "orderer2",
                "peer0",
                "zookeeper1",
                "zookeeper2",
                "zookeeper3",
            ].map((h) => `crypto-config/nodes/${h}/keystore/priv_sk`),
        );
        expect(files.get("identities")).toBe(`${plan.identities}\n`);
        // One line per identity the material holds, sorted, so that an update can tell what is new.
        expect(plan.identities.split("\n")).toEqual([
            "orderer orderer0.example.com",
            "orderer orderer1.example.com",
            "orderer orderer2.example.com",
            "org Org1MSP org1.example.com",
            "org Org5MSP org5.example.com",
            "peer bar.org5.example.com",
            "peer foo27.org5.example.com",
            "peer peer0.org1.example.com",
        ]);
    });

    it("is byte-for-byte stable when nothing changed (the archive drives the downstream triggers)", () => {
        const again = extend(plan);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toBe(first);
    });

    it("extends the material for a new peer without touching existing keys", () => {
        const bigger = buildPlan(withPeer(spec, "baz"));
        const r = extend(bigger);
        expect(r.code, r.stderr).toBe(0);
        const before = untar(first);
        const after = untar(r.stdout);
        for (const [f, content] of before) if (f.includes("priv_sk")) expect(after.get(f), f).toBe(content);
        expect(after.has("crypto-config/nodes/baz/keystore/priv_sk")).toBe(true);
    });

    it("refuses a change that would lose an identity", () => {
        const renamed = buildPlan({
            ...spec,
            organizations: spec.organizations.map((o) =>
                o.name === "Org5" ? { ...o, domain: "org6.example.com" } : o,
            ),
        });
        const r = extend(renamed);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("refusing to change the crypto material");
        expect(r.stderr).toContain("org Org5MSP org5.example.com");
    });

    it("lets an organisation or a peer go (removed from the stack), keeping its material for a later return", () => {
        const smaller = buildPlan({
            ...spec,
            organizations: spec.organizations
                .filter((o) => o.name !== "Org5")
                .map((o) => ({ ...o, peers: o.peers.slice(0, 1) })),
            channels: spec.channels.map((c) => ({ ...c, organizations: ["Org1"] })),
            chaincodes: [],
        });
        const r = extend(smaller);
        expect(r.code, r.stderr).toBe(0);
        const before = untar(first);
        const after = untar(r.stdout);
        // Extend never deletes: adding Org5 back reuses the same keys.
        for (const [f, content] of before) if (f.includes("priv_sk")) expect(after.get(f), f).toBe(content);
        expect(after.get("identities")).toBe(`${smaller.identities}\n`);
    });

    it("lets one peer of an org that stays go", () => {
        const fewer = buildPlan({
            ...spec,
            organizations: spec.organizations.map((o) =>
                o.name === "Org5" ? { ...o, peers: o.peers.filter((p) => p.name !== "foo27") } : o,
            ),
        });
        const r = extend(fewer);
        expect(r.code, r.stderr).toBe(0);
        expect(untar(r.stdout).get("crypto-config/nodes/foo27/keystore/priv_sk")).toBe(
            untar(first).get("crypto-config/nodes/foo27/keystore/priv_sk"),
        );
    });

    it("still refuses to lose an orderer, or an MSP id that stays under another domain", () => {
        const noOrderer = buildPlan({ ...spec, orderers: spec.orderers.slice(0, 2) });
        const r = extend(noOrderer);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("orderer orderer2.example.com");
    });
});

describe("per-host bundle and delivery", () => {
    it("bundles exactly the manifest and delivers it owner-only", () => {
        const src = fs.mkdtempSync(path.join(os.tmpdir(), "src-"));
        fs.mkdirSync(path.join(src, "crypto-config/a/keystore"), { recursive: true });
        fs.writeFileSync(path.join(src, "crypto-config/a/keystore/priv_sk"), "KEY-A");
        fs.mkdirSync(path.join(src, "crypto-config/b"), { recursive: true });
        fs.writeFileSync(path.join(src, "crypto-config/b/priv_sk"), "KEY-B");
        const crypto = execFileSync("sh", ["-c", `cd ${src} && tar -czf - crypto-config | base64 -w0`], {
            encoding: "utf8",
        });
        fs.mkdirSync(path.join(src, "art/artifacts"), { recursive: true });
        fs.writeFileSync(path.join(src, "art/artifacts/genesis.block"), "BLOCK");
        const artifacts = execFileSync("sh", ["-c", `cd ${src}/art && tar -czf - . | base64 -w0`], {
            encoding: "utf8",
        });
        const files = [
            { from: "crypto-config/a", to: "orderers/a" },
            { from: "artifacts/genesis.block", to: "orderers/a/genesis.block" },
        ];
        const bundle = run(bundleScript(), { MANIFEST: manifest(files) }, `${crypto}\n${artifacts}\n`);
        expect(bundle.code, bundle.stderr).toBe(0);
        const got = untar(bundle.stdout);
        expect([...got.keys()].sort()).toEqual(["orderers/a/genesis.block", "orderers/a/keystore/priv_sk"]);
        expect([...got.values()].join()).not.toContain("KEY-B");

        const workdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "host-")), "work");
        const d = run(deliverScript(workdir), {}, bundle.stdout);
        expect(d.code, d.stderr).toBe(0);
        expect(d.stdout).toContain("2 files");
        const key = path.join(workdir, "orderers/a/keystore/priv_sk");
        expect(fs.readFileSync(key, "utf8")).toBe("KEY-A");
        expect(fs.statSync(key).mode & 0o077).toBe(0);
        expect(fs.statSync(path.join(workdir, "orderers/a/keystore")).mode & 0o077).toBe(0);

        // A host without configtxgen output: its bundle is made from the crypto alone (an empty second line).
        const keysOnly = run(
            bundleScript(),
            { MANIFEST: manifest([{ from: "crypto-config/b", to: "backend/b" }]) },
            `${crypto}\n\n`,
        );
        expect(keysOnly.code, keysOnly.stderr).toBe(0);
        expect([...untar(keysOnly.stdout).entries()]).toEqual([["backend/b/priv_sk", "KEY-B"]]);
        // ... and a manifest that names configtxgen output then fails, naming the file.
        const noArtifacts = run(bundleScript(), { MANIFEST: manifest(files) }, `${crypto}\n\n`);
        expect(noArtifacts.code).not.toBe(0);
        expect(noArtifacts.stderr).toContain("bundle: artifacts/genesis.block is missing from the generated material");

        const missing = run(bundleScript(), { MANIFEST: "copy\tx\tcrypto-config/zzz" }, `${crypto}\n${artifacts}\n`);
        expect(missing.code).not.toBe(0);
        expect(missing.stderr).toContain("bundle: crypto-config/zzz is missing from the generated material");
    });

    it("concatenates key stores, writes rendered files, and opens only what a container user reads", () => {
        const src = fs.mkdtempSync(path.join(os.tmpdir(), "src-"));
        fs.mkdirSync(path.join(src, "crypto-config/n/tls"), { recursive: true });
        fs.writeFileSync(path.join(src, "crypto-config/n/tls/server.key"), "KEY\n");
        fs.writeFileSync(path.join(src, "crypto-config/n/tls/server.crt"), "CERT\n");
        fs.writeFileSync(path.join(src, "crypto-config/n/other.key"), "OTHER\n");
        const crypto = execFileSync("sh", ["-c", `cd ${src} && tar -czf - crypto-config | base64 -w0`], {
            encoding: "utf8",
        });
        const artifacts = execFileSync("sh", ["-c", `d=$(mktemp -d) && cd $d && tar -czf - . | base64 -w0`], {
            encoding: "utf8",
        });
        const files = [
            {
                from: ["crypto-config/n/tls/server.key", "crypto-config/n/tls/server.crt"],
                to: "backend/n/tls/node.pem",
                containerReadable: true,
            },
            { from: "crypto-config/n/other.key", to: "orderers/o/other.key" },
        ];
        const rendered = [{ to: "backend/n/config/server.properties", content: "a=b\n", containerReadable: true }];
        const bundle = run(bundleScript(), { MANIFEST: manifest(files, rendered) }, `${crypto}\n${artifacts}\n`);
        expect(bundle.code, bundle.stderr).toBe(0);
        const got = untar(bundle.stdout);
        expect(got.get("backend/n/tls/node.pem")).toBe("KEY\nCERT\n");
        expect(got.get("backend/n/config/server.properties")).toBe("a=b\n");

        const workdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "host-")), "work");
        const readable = [...files, ...rendered].filter((f) => f.containerReadable).map((f) => f.to);
        const d = run(deliverScript(workdir, readable), {}, bundle.stdout);
        expect(d.code, d.stderr).toBe(0);
        const mode = (p: string) => fs.statSync(path.join(workdir, p)).mode & 0o777;
        expect(mode("backend/n/tls/node.pem")).toBe(0o644);
        expect(mode("backend/n/tls")).toBe(0o755);
        expect(mode("backend/n/config/server.properties")).toBe(0o644);
        // The directory above is the host's barrier: only the delivering user passes it.
        expect(mode("backend/n")).toBe(0o700);
        expect(mode("orderers/o/other.key")).toBe(0o600);
    });
});

/**
 * configtxgen: checks it runs beside configtx.yaml and the unpacked material, then writes each output as the
 * arguments it was given (a block, a transaction), or prints an org's group (-printOrg).
 */
const FAKE_CONFIGTXGEN = `#!/bin/sh
set -e
[ -f configtx.yaml ] && [ -f crypto-config/marker ] || { echo "configtxgen: not in the work folder" >&2; exit 3; }
out=""; org=""
for a in "$@"; do
  case "$prev" in -outputBlock|-outputCreateChannelTx|-outputAnchorPeersUpdate) out=$a;; -printOrg) org=$a;; esac
  prev=$a
done
if [ -n "$org" ]; then echo "{\\"org\\": \\"$org\\", \\"configtx\\": \\"$(head -1 configtx.yaml)\\"}"; exit 0; fi
echo "$*" > "$out"
`;

describe("artifacts step", () => {
    beforeAll(() => {
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "fakebin-"));
        fs.writeFileSync(path.join(bin, "configtxgen"), FAKE_CONFIGTXGEN, { mode: 0o755 });
    });

    /** The crypto step's output as the artifacts step reads it: a gzipped tar, base64. */
    const materialStdin = () => {
        const material = fs.mkdtempSync(path.join(os.tmpdir(), "material-"));
        fs.mkdirSync(path.join(material, "crypto-config"));
        fs.writeFileSync(path.join(material, "crypto-config/marker"), "");
        return execFileSync("sh", ["-c", `tar -C ${material} -czf - . | base64 -w0`], { encoding: "utf8" });
    };

    it("makes the genesis block, each org's group, each channel's transaction and each org's anchor update", () => {
        const spec = { ...stackSpec("dev"), tools: { mode: "path" as const } };
        const stdin = materialStdin();
        const r = run(
            artifactsScript(spec, "KafkaOrdererGenesis", (ch) => `${ch}Profile`),
            { CONFIGTX: "# configtx" },
            stdin,
        );
        expect(r.code, r.stderr).toBe(0);
        const files = untar(r.stdout);
        const ch = "-configPath . -profile mychannelProfile -channelID mychannel";
        expect(Object.fromEntries(files)).toEqual({
            "artifacts/genesis.block":
                "-configPath . -profile KafkaOrdererGenesis -channelID system-channel -outputBlock out/artifacts/genesis.block\n",
            "artifacts/orgs/Org1MSP.json": '{"org": "Org1MSP", "configtx": "# configtx"}\n',
            "artifacts/orgs/Org5MSP.json": '{"org": "Org5MSP", "configtx": "# configtx"}\n',
            "artifacts/mychannel.tx": `${ch} -outputCreateChannelTx out/artifacts/mychannel.tx\n`,
            "artifacts/mychannel-Org1MSP-anchors.tx": `${ch} -asOrg Org1MSP -outputAnchorPeersUpdate out/artifacts/mychannel-Org1MSP-anchors.tx\n`,
            "artifacts/mychannel-Org5MSP-anchors.tx": `${ch} -asOrg Org5MSP -outputAnchorPeersUpdate out/artifacts/mychannel-Org5MSP-anchors.tx\n`,
        });
    });

    it("says which tool is missing from PATH in path mode, and runs the tools image otherwise", () => {
        const spec = stackSpec("dev");
        const r = run(
            artifactsScript({ ...spec, tools: { mode: "path" } }, "G", (ch) => ch),
            { PATH: "/usr/bin:/bin", CONFIGTX: "# configtx" },
            materialStdin(),
        );
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain('configtxgen not found on PATH (tools.mode is "path")');
        expect(artifactsScript(spec, "G", (ch) => ch)).toContain(
            `fabric() { docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/w" -w /w -e FABRIC_CFG_PATH=/w '${spec.images.tools.ref}' "$@"; }`,
        );
    });
});
