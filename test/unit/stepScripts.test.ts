/**
 * Every step script of the new lifecycle (channel create, join, anchor update, install, approve, commit, init)
 * run for real under `sh` against a stand-in `peer` that keeps the channel, the peers' ledgers and the
 * chaincode definitions in files and, like Fabric, fails when asked to do something a second time (create an
 * existing channel, join twice, install the same package twice, approve or commit a sequence twice). Each
 * step acts once, and a second run of every step changes nothing: what "a second `up` changes nothing" needs
 * from the scripts.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ChaincodeSpec, NetworkSpec, PeerSpec } from "../../config";
import {
    anchorUpdateScript,
    ccApproveScript,
    ccCommitScript,
    ccInitScript,
    ccInstallScript,
    ccPackageBase64,
    channelCreateScript,
    channelJoinScript,
    channelLeadPeer,
    packageId,
} from "../../plan";
import { stackSpec } from "../support/stacks";
import { standinDir } from "../support/standins";

/**
 * State in $STATE: `channels/<ch>` (created at the orderer), `anchors/<ch>/<msp>`, `committed/<cc>` (the
 * sequence), `ledger/<cc>` (initialised), and per peer ($PEER) `peers/$PEER/joined/<ch>` and
 * `peers/$PEER/installed`, per org ($ORG) `orgs/$ORG/approved/<cc>-<seq>`. `calls`: every command that changed
 * something, one per line.
 */
const FAKE_PEER = `#!/bin/sh
set -eu
P="$STATE/peers/$PEER"; O="$STATE/orgs/$ORG"
mkdir -p "$STATE/channels" "$STATE/anchors" "$STATE/committed" "$STATE/ledger" "$P/joined" "$O/approved"
touch "$P/installed"
log() { echo "$PEER $*" >> "$STATE/calls"; }
arg() { key=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$key" ] && { echo "$2"; return; }; shift; done; }
area=$1; sub=$2; shift 2
case "$area $sub" in
  "channel fetch")
    which=$1; file=$2; ch=$(arg -c "$@")
    [ -f "$STATE/channels/$ch" ] || { echo "Error: channel $ch not found" >&2; exit 1; }
    case $which in
      0) echo "block $ch" > "$file";;
      newest) echo '{"header":{"number":"0"}}' > "$file";;
      config)
        groups=""
        for f in "$STATE"/anchors/"$ch"/*; do [ -f "$f" ] && groups="$groups\\"$(basename "$f")\\":{\\"values\\":{\\"AnchorPeers\\":{}}},"; done
        printf '{"data":{"data":[{"payload":{"data":{"config":{"channel_group":{"groups":{"Application":{"groups":{%s"x":{}}}}}}}}}]}}' "$groups" > "$file";;
    esac;;
  "channel create")
    ch=$(arg -c "$@"); out=$(arg --outputBlock "$@")
    [ -f "$STATE/channels/$ch" ] && { echo "Error: got unexpected status: BAD_REQUEST -- channel $ch exists" >&2; exit 5; }
    touch "$STATE/channels/$ch"; echo "block $ch" > "$out"; log create "$ch";;
  "channel list")
    echo "Channels peers has joined: "; ls "$P/joined";;
  "channel join")
    ch=$(cut -d' ' -f2 < "$(arg -b "$@")")
    [ -f "$P/joined/$ch" ] && { echo "Error: ledger [$ch] already exists" >&2; exit 1; }
    touch "$P/joined/$ch"; log join "$ch";;
  "channel getinfo")
    ch=$(arg -c "$@"); [ -f "$P/joined/$ch" ] || exit 1
    echo 'Blockchain info: {"height":1,"currentBlockHash":"q83v"}';;
  "channel update")
    ch=$(arg -c "$@"); msp=$(basename "$(arg -f "$@")" | sed "s/^$ch-//; s/-anchors.tx$//")
    [ -f "$STATE/anchors/$ch/$msp" ] && { echo "Error: anchors of $msp already set" >&2; exit 1; }
    mkdir -p "$STATE/anchors/$ch"; touch "$STATE/anchors/$ch/$msp"; log anchors "$ch" "$msp";;
  "lifecycle chaincode")
    op=$1; shift
    case $op in
      queryinstalled) echo "Installed chaincodes on peer:"; cat "$P/installed";;
      install)
        label=$(tar -xzOf "$1" metadata.json | sed 's/.*"label":"\\([^"]*\\)".*/\\1/')
        id="$label:$(sha256sum "$1" | cut -d' ' -f1)"
        grep -qF "Package ID: $id," "$P/installed" && { echo "Error: chaincode already successfully installed" >&2; exit 1; }
        echo "Package ID: $id, Label: $label" >> "$P/installed"; log install "$id";;
      queryapproved) [ -f "$O/approved/$(arg -n "$@")-$(arg --sequence "$@")" ];;
      approveformyorg)
        a="$O/approved/$(arg -n "$@")-$(arg --sequence "$@")"
        [ -f "$a" ] && { echo "Error: attempted to redefine the current definition" >&2; exit 1; }
        touch "$a"; log approve "$(arg -n "$@")" "$(arg --sequence "$@")" "$(arg --package-id "$@")";;
      querycommitted)
        c="$STATE/committed/$(arg -n "$@")"; [ -f "$c" ] || exit 1
        printf '{"sequence":%s,"version":"x"}' "$(cat "$c")";;
      commit)
        n=$(arg -n "$@"); seq=$(arg --sequence "$@"); c="$STATE/committed/$n"
        [ -f "$c" ] && [ "$(cat "$c")" -ge "$seq" ] && { echo "Error: sequence $seq already committed" >&2; exit 1; }
        echo "$seq" > "$c"; log commit "$n" "$seq";;
    esac;;
  "chaincode query")
    [ -f "$STATE/ledger/$(arg -n "$@")" ] || { echo "Error: not initialised" >&2; exit 1; }
    cat "$STATE/ledger/$(arg -n "$@")";;
  "chaincode invoke")
    n=$(arg -n "$@"); echo 10 > "$STATE/ledger/$n"; log invoke "$n" "$(arg -c "$@")";;
  *) echo "unexpected: $area $sub $*" >&2; exit 2;;
esac
`;

describe("the new-lifecycle step scripts, run twice against a stand-in peer", { timeout: 60_000 }, () => {
    let spec: NetworkSpec;
    let cc: ChaincodeSpec;
    let dir: string;
    let state: string;

    beforeEach(() => {
        spec = stackSpec("dev");
        cc = spec.chaincodes[0]!;
        ({ dir, state } = standinDir("fk-steps-", FAKE_PEER));
    });

    /** The steps' temporary folder: what they create there with mktemp, they remove. */
    const tmp = () => {
        const t = path.join(dir, "tmp");
        fs.mkdirSync(t, { recursive: true });
        return t;
    };
    /** Runs a step as the CLI container of `peer` does (`sh -c "set -eu; ..."`), /work mapped per peer. */
    const run = (peer: PeerSpec, script: string, stdin = "") => {
        const work = path.join(dir, "work", peer.fqdn);
        const body = `set -eu\n${script.replaceAll("/work/", `${work}/`)}`;
        try {
            const stdout = execFileSync("sh", ["-c", body], {
                input: stdin,
                env: {
                    PATH: `${dir}/bin:${process.env.PATH}`,
                    STATE: state,
                    PEER: peer.fqdn,
                    ORG: peer.mspId,
                    TMPDIR: tmp(),
                },
                encoding: "utf8",
                stdio: ["pipe", "pipe", "pipe"],
            });
            return { code: 0, out: stdout };
        } catch (e) {
            const err = e as { status: number; stdout: string; stderr: string };
            return { code: err.status, out: `${err.stdout}${err.stderr}` };
        }
    };
    const calls = () =>
        fs.existsSync(path.join(state, "calls"))
            ? fs.readFileSync(path.join(state, "calls"), "utf8").trim().split("\n")
            : [];

    /** Every step of the plan's new lifecycle for the dev stack, in the plan's order, with the peer it runs on. */
    const allSteps = (c: ChaincodeSpec): Array<{ label: string; peer: PeerSpec; script: string; stdin?: string }> => {
        const ch = spec.channels[0]!;
        const peers = spec.organizations.flatMap((o) => o.peers);
        const lead = channelLeadPeer(spec, ch.name);
        return [
            { label: "create", peer: lead, script: channelCreateScript(spec, ch) },
            ...peers.map((p) => ({ label: `join ${p.name}`, peer: p, script: channelJoinScript(spec, ch, p) })),
            ...spec.organizations.map((o) => ({
                label: `anchors ${o.mspId}`,
                peer: o.peers[0]!,
                script: anchorUpdateScript(spec, ch, o),
            })),
            ...peers.map((p) => ({
                label: `install ${p.name}`,
                peer: p,
                script: ccInstallScript(c, p),
                stdin: ccPackageBase64(c),
            })),
            ...spec.organizations.map((o) => ({
                label: `approve ${o.mspId}`,
                peer: o.peers[0]!,
                script: ccApproveScript(spec, c, o),
            })),
            { label: "commit", peer: lead, script: ccCommitScript(spec, c) },
            { label: "init", peer: lead, script: ccInitScript(spec, c) },
        ];
    };

    it("acts once per step, and a second run of each step changes nothing", () => {
        for (const s of allSteps(cc)) {
            const first = run(s.peer, s.script, s.stdin);
            expect(first.code, `${s.label}: ${first.out}`).toBe(0);
            const before = calls();
            const again = run(s.peer, s.script, s.stdin);
            expect(again.code, `${s.label} again: ${again.out}`).toBe(0);
            expect(calls(), `${s.label} again`).toEqual(before);
        }
        const id = packageId(cc);
        expect(calls()).toEqual([
            "peer0.org1.example.com create mychannel",
            "peer0.org1.example.com join mychannel",
            "foo27.org5.example.com join mychannel",
            "bar.org5.example.com join mychannel",
            "peer0.org1.example.com anchors mychannel Org1MSP",
            "foo27.org5.example.com anchors mychannel Org5MSP",
            `peer0.org1.example.com install ${id}`,
            `foo27.org5.example.com install ${id}`,
            `bar.org5.example.com install ${id}`,
            `peer0.org1.example.com approve mycc 1 ${id}`,
            `foo27.org5.example.com approve mycc 1 ${id}`,
            "peer0.org1.example.com commit mycc 1",
            'peer0.org1.example.com invoke mycc {"function":"init","Args":["A","10","B","20"]}',
        ]);
        // A whole second pass (the next `up` re-running every step) changes nothing either.
        const after = calls();
        for (const s of allSteps(cc)) expect(run(s.peer, s.script, s.stdin).code, s.label).toBe(0);
        expect(calls()).toEqual(after);
        // No step leaves a temporary file behind (a fetched block, a channel config).
        expect(fs.readdirSync(tmp())).toEqual([]);
    });

    it("says what each step did, and on a re-run that there was nothing to do", () => {
        const said: string[] = [];
        for (const pass of ["first", "again"])
            for (const s of allSteps(cc)) {
                const r = run(s.peer, s.script, s.stdin);
                expect(r.code, `${s.label} ${pass}: ${r.out}`).toBe(0);
                said.push(`${pass} ${s.label}: ${r.out.trim().split("\n").join(" | ")}`);
            }
        const id = packageId(cc);
        const peers = ["peer0.org1.example.com", "foo27.org5.example.com", "bar.org5.example.com"];
        const caughtUp = (p: string) =>
            `${p} on channel mychannel: ledger caught up (height 1, channel height 1 when checked)`;
        expect(said).toEqual([
            "first create: channel mychannel created",
            ...peers.map((p) => `first join ${p.split(".")[0]}: ${p} joined mychannel | ${caughtUp(p)}`),
            "first anchors Org1MSP: anchor peers of Org1MSP set on mychannel",
            "first anchors Org5MSP: anchor peers of Org5MSP set on mychannel",
            ...peers.map((p) => `first install ${p.split(".")[0]}: ${id} installed on ${p}`),
            "first approve Org1MSP: Org1MSP approved mycc sequence 1",
            "first approve Org5MSP: Org5MSP approved mycc sequence 1",
            "first commit: mycc sequence 1 committed on mychannel",
            "first init: mycc initialised",
            "again create: channel mychannel already exists: fetched its block",
            ...peers.map((p) => `again join ${p.split(".")[0]}: ${p} already joined mychannel | ${caughtUp(p)}`),
            "again anchors Org1MSP: anchor peers of Org1MSP already set on mychannel",
            "again anchors Org5MSP: anchor peers of Org5MSP already set on mychannel",
            ...peers.map((p) => `again install ${p.split(".")[0]}: ${id} already installed on ${p}`),
            "again approve Org1MSP: Org1MSP already approved mycc sequence 1",
            "again approve Org5MSP: Org5MSP already approved mycc sequence 1",
            "again commit: mycc sequence 1 already committed on mychannel",
            "again init: mycc already initialised",
        ]);
    });

    it("fetches a channel that already exists instead of creating it (the old runbook's error 5)", () => {
        fs.mkdirSync(path.join(state, "channels"), { recursive: true });
        fs.writeFileSync(path.join(state, "channels/mychannel"), "");
        const lead = channelLeadPeer(spec, "mychannel");
        const r = run(lead, channelCreateScript(spec, spec.channels[0]!));
        expect(r).toMatchObject({ code: 0, out: expect.stringContaining("channel mychannel already exists") });
        expect(calls()).toEqual([]);
        expect(fs.readFileSync(path.join(dir, "work", lead.fqdn, "blocks/mychannel.block"), "utf8")).toBe(
            "block mychannel\n",
        );
    });

    it("a new version and sequence installs, approves and commits again, and never re-runs init", () => {
        for (const s of allSteps(cc)) expect(run(s.peer, s.script, s.stdin).code, s.label).toBe(0);
        const before = calls().length;
        const next = { ...cc, version: "1.1", sequence: 2 };
        for (const s of allSteps(next)) expect(run(s.peer, s.script, s.stdin).code, s.label).toBe(0);
        const id = packageId(next);
        expect(calls().slice(before)).toEqual([
            `peer0.org1.example.com install ${id}`,
            `foo27.org5.example.com install ${id}`,
            `bar.org5.example.com install ${id}`,
            `peer0.org1.example.com approve mycc 2 ${id}`,
            `foo27.org5.example.com approve mycc 2 ${id}`,
            "peer0.org1.example.com commit mycc 2",
        ]);
    });

    it("installs the package under the id the peer computes from its bytes (label:sha256)", () => {
        const p = spec.organizations[0]!.peers[0]!;
        expect(run(p, ccInstallScript(cc, p), ccPackageBase64(cc)).code).toBe(0);
        const installed = fs.readFileSync(path.join(state, "peers", p.fqdn, "installed"), "utf8");
        expect(installed).toBe(`Package ID: ${packageId(cc)}, Label: mycc_1.0\n`);
    });
});
