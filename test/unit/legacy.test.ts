/**
 * The legacy lifecycle (peer chaincode install / instantiate on a V1_4_2 channel): the plan, and the step
 * scripts run for real against a stand-in `peer` that keeps the installed and instantiated chaincodes in files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { beforeEach, describe, expect, it } from "vitest";
import { ChaincodeSpec, NetworkSpec, PeerSpec } from "../../config";
import {
    buildPlan,
    ccInstantiateScript,
    ccLegacyInstallScript,
    ccLegacySourceBase64,
    chaincodeContainer,
    channelProfile,
    configtx,
    packageId,
    renderYaml,
    stepGraph,
} from "../../plan";
import { legacySpec, stackSpec } from "../support/stacks";

// Built in beforeEach, not at load time, so the mutation run can tell which test reaches which code.
let spec: NetworkSpec;
let cc: ChaincodeSpec;
let peer0: PeerSpec;
beforeEach(() => {
    spec = legacySpec();
    cc = spec.chaincodes[0]!;
    peer0 = spec.organizations[0]!.peers[0]!;
});

describe("the legacy lifecycle in the plan", () => {
    it("gives the channel the V1_4_2 application capability and no new-lifecycle policies", () => {
        const doc = configtx(spec) as { Profiles: Record<string, any> };
        const app = doc.Profiles[channelProfile("mychannel")].Application;
        expect(app.Capabilities).toEqual({ V1_4_2: true });
        expect(Object.keys(app.Policies).sort()).toEqual(["Admins", "Readers", "Writers"]);
        // The dev stack (v2) keeps V2_5 and the lifecycle policies.
        const v2 = configtx(stackSpec("dev")) as { Profiles: Record<string, any> };
        expect(v2.Profiles[channelProfile("mychannel")].Application.Capabilities).toEqual({ V2_5: true });
        expect(v2.Profiles[channelProfile("mychannel")].Application.Policies.LifecycleEndorsement).toBeDefined();
        expect(renderYaml(doc)).toContain("V1_4_2: true");
    });

    it("gives each channel the capability of its own chaincodes", () => {
        const two = {
            ...spec,
            channels: [...spec.channels, { name: "otherchannel", organizations: ["Org1"] }],
        };
        const doc = configtx(two) as { Profiles: Record<string, any> };
        expect(doc.Profiles[channelProfile("mychannel")].Application.Capabilities).toEqual({ V1_4_2: true });
        expect(doc.Profiles[channelProfile("otherchannel")].Application.Capabilities).toEqual({ V2_5: true });
    });

    it("knows the chaincode as name:version, and its servers announce that id", () => {
        expect(packageId(cc)).toBe("mycc:1.0");
        const server = chaincodeContainer(spec, cc, peer0, packageId(cc));
        expect(server.env.CHAINCODE_ID).toBe("mycc:1.0");
        expect(buildPlan(spec).chaincodeContainers.map((c) => c.env.CHAINCODE_ID)).toEqual([
            "mycc:1.0",
            "mycc:1.0",
            "mycc:1.0",
        ]);
    });

    it("installs, starts the servers, then instantiates; no approve, commit or separate init", () => {
        const steps = stepGraph(spec).filter((s) => s.kind.startsWith("cc-"));
        expect(steps.map((s) => s.kind).sort()).toEqual([
            "cc-install",
            "cc-install",
            "cc-install",
            "cc-instantiate",
            "cc-server",
            "cc-server",
            "cc-server",
        ]);
        const inst = steps.find((s) => s.kind === "cc-instantiate")!;
        expect(inst.host).toBe(peer0.host);
        expect([...inst.after].sort()).toEqual(
            [
                "anchor-update:mychannel:Org1",
                "anchor-update:mychannel:Org5",
                "cc-server:mycc:bar.org5.example.com",
                "cc-server:mycc:foo27.org5.example.com",
                "cc-server:mycc:peer0.org1.example.com",
            ].sort(),
        );
        const server = steps.find((s) => s.id === "cc-server:mycc:bar.org5.example.com")!;
        expect(server.after).toEqual(["cc-install:mycc:bar.org5.example.com"]);
    });
});

const FAKE_PEER = `#!/bin/sh
# Stand-in for the peer CLI's legacy chaincode commands; state in $STATE/{installed,instantiated,calls}.
set -e
[ "$1" = chaincode ] || { echo "unexpected: $*" >&2; exit 2; }
sub=$2; shift 2
name= version= ctor= dir= list=
while [ $# -gt 0 ]; do
  case $1 in
    -n) name=$2; shift 2;; -v) version=$2; shift 2;; -c) ctor=$2; shift 2;; -p) dir=$2; shift 2;;
    --installed) list=installed; shift;; --instantiated) list=instantiated; shift;;
    *) shift;;
  esac
done
touch "$STATE/installed" "$STATE/instantiated"
case $sub in
  list)
    echo "Get $list chaincodes:"
    cat "$STATE/$list";;
  install)
    [ -f "$dir/package.json" ] && [ -f "$dir/connection.json" ] || { echo "no package.json/connection.json in $dir" >&2; exit 1; }
    echo "install $name $version" >> "$STATE/calls"
    echo "Name: $name, Version: $version, Path: $dir, Id: 00ff" >> "$STATE/installed";;
  instantiate|upgrade)
    echo "$sub $name $version $ctor" >> "$STATE/calls"
    if [ -f "$STATE/fail-next" ]; then rm "$STATE/fail-next"; echo "Error: could not connect to chaincode server" >&2; exit 1; fi
    grep -qF "Name: $name, Version: $version," "$STATE/installed" || { echo "not installed" >&2; exit 1; }
    grep -vF "Name: $name," "$STATE/instantiated" > "$STATE/tmp" || true
    echo "Name: $name, Version: $version, Path: x, Input: <nil>, Escc: escc, Vscc: vscc" >> "$STATE/tmp"
    mv "$STATE/tmp" "$STATE/instantiated";;
  *) echo "unexpected: $sub" >&2; exit 2;;
esac
`;

describe("the legacy step scripts, run against a stand-in peer", () => {
    let dir: string;
    let state: string;
    let work: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-legacy-"));
        state = path.join(dir, "state");
        work = path.join(dir, "work");
        fs.mkdirSync(state);
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin/peer"), FAKE_PEER, { mode: 0o755 });
        // The scripts wait between attempts; here no attempt needs to wait.
        fs.writeFileSync(path.join(dir, "bin/sleep"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    });

    /** Runs a script the way the CLI container does (`sh -c "set -eu; ..."`), with /work mapped to a temp dir. */
    const run = (script: string, stdin = "") => {
        const body = `set -eu\n${script.replaceAll("/work/", `${work}/`)}`;
        try {
            const stdout = execFileSync("sh", ["-c", body], {
                input: stdin,
                env: { PATH: `${dir}/bin:${process.env.PATH}`, STATE: state },
                encoding: "utf8",
                stdio: ["pipe", "pipe", "pipe"],
            });
            return { code: 0, stdout };
        } catch (e) {
            const err = e as { status: number; stdout: string; stderr: string };
            return { code: err.status, stdout: `${err.stdout}${err.stderr}` };
        }
    };
    const calls = () =>
        fs.existsSync(path.join(state, "calls"))
            ? fs.readFileSync(path.join(state, "calls"), "utf8").trim().split("\n")
            : [];
    const install = (c: ChaincodeSpec) => run(ccLegacyInstallScript(c, peer0), ccLegacySourceBase64(c));

    it("installs the source folder once, then skips it", () => {
        expect(install(cc)).toMatchObject({ code: 0, stdout: expect.stringContaining("mycc 1.0 installed") });
        expect(install(cc)).toMatchObject({ code: 0, stdout: expect.stringContaining("already installed") });
        expect(calls()).toEqual(["install mycc 1.0"]);
        const src = path.join(work, "chaincode/mycc-1.0-src");
        const conn = JSON.parse(fs.readFileSync(path.join(src, "connection.json"), "utf8"));
        expect(conn.address).toBe("mycc.{{.peername}}:9999");
        expect(JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8")).name).toBe("mycc");
    });

    it("instantiates with the init transaction once; a re-run does nothing", () => {
        install(cc);
        const first = run(ccInstantiateScript(spec, cc));
        expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining("mycc 1.0 instantiated") });
        expect(run(ccInstantiateScript(spec, cc)).stdout).toContain("already instantiated");
        expect(calls()).toEqual([
            "install mycc 1.0",
            'instantiate mycc 1.0 {"function":"init","Args":["A","10","B","20"]}',
        ]);
    });

    it("instantiates a chaincode without an init transaction with a read-only call", () => {
        const plain = { ...cc, init: null };
        install(plain);
        expect(run(ccInstantiateScript(spec, plain)).code).toBe(0);
        expect(calls().at(-1)).toBe('instantiate mycc 1.0 {"function":"org.hyperledger.fabric:GetMetadata","Args":[]}');
    });

    it("retries an instantiate that failed, and fails clearly when it never succeeds", () => {
        install(cc);
        fs.writeFileSync(path.join(state, "fail-next"), "");
        expect(run(ccInstantiateScript(spec, cc)).code).toBe(0);
        expect(calls().filter((c) => c.startsWith("instantiate"))).toHaveLength(2);
        const missing = { ...cc, version: "9.9" };
        const out = run(ccInstantiateScript(spec, missing));
        expect(out.code).toBe(1);
        expect(out.stdout).toContain("mycc 9.9 not instantiated on mychannel after 60 attempts");
    });

    it("upgrades to a new version without calling init again", () => {
        install(cc);
        run(ccInstantiateScript(spec, cc));
        const next = { ...cc, version: "1.1" };
        install(next);
        const up = run(ccInstantiateScript(spec, next));
        expect(up).toMatchObject({ code: 0, stdout: expect.stringContaining("mycc upgraded to 1.1") });
        expect(calls().at(-1)).toBe('upgrade mycc 1.1 {"function":"org.hyperledger.fabric:GetMetadata","Args":[]}');
        expect(fs.readFileSync(path.join(state, "instantiated"), "utf8")).toMatch(/^Name: mycc, Version: 1\.1,/);
    });
});

describe("the legacy stack config", () => {
    it("renders a configtx.yaml that configtxgen can read as YAML", () => {
        const doc = yaml.load(renderYaml(configtx(spec))) as { Profiles: Record<string, unknown> };
        expect(Object.keys(doc.Profiles)).toContain(channelProfile("mychannel"));
    });
});
