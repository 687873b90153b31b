/**
 * A running channel's member orgs (plan/members): the signer selection, the step graph around the update, and
 * the compute → sign → submit scripts run for real under `sh` against stand-in `peer` and `configtxlator` tools
 * that keep the channel config as JSON and enforce the channel's MAJORITY Admins policy on `peer channel update`,
 * counting the signatures of the orgs that are members before the change (the submitter's included).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec, validateConfig } from "../../config";
import {
    membershipComputeScript,
    membershipSignScript,
    membershipSigners,
    membershipSubmitScript,
    membershipTrigger,
    memberDefinitions,
    orgByName,
    selectSigners,
    signaturesNeeded,
    stepGraph,
    stepId,
} from "../../plan";
import { SECRET, rawStackConfig, stackSpec, withOrgRaw, withTestCredentials } from "../support/stacks";
import { standinDir } from "../support/standins";

/** dev + Org6 (one peer on its own host) in mychannel, with the membership steps on. */
const withOrg6 = (): NetworkSpec => {
    const raw = withOrgRaw(rawStackConfig("dev"), { name: "Org6", host: "peer0-org6", address: "203.0.113.16" });
    raw.network = { ...(raw.network as object), manageChannelMembers: true };
    return validateConfig(withTestCredentials(raw), SECRET);
};

describe("signatures for a membership update", () => {
    it("follows Fabric's implicit-meta rules", () => {
        expect([1, 2, 3, 4, 5].map((n) => signaturesNeeded("MAJORITY", n))).toEqual([1, 2, 2, 3, 3]);
        expect(signaturesNeeded("ANY", 3)).toBe(1);
        expect(signaturesNeeded("ALL", 3)).toBe(3);
    });

    it("counts the members before the change: adding Org6 to Org1+Org5 needs Org5 besides the submitting Org1", () => {
        expect(selectSigners(["Org1MSP", "Org5MSP"], "Org1MSP", ["Org5MSP", "Org6MSP"])).toEqual({
            signers: ["Org5MSP"],
            missing: 0,
        });
    });

    it("removing Org6 from three members needs 2 of 3: Org1 submits, Org5 signs, Org6 is not asked", () => {
        expect(selectSigners(["Org1MSP", "Org5MSP", "Org6MSP"], "Org1MSP", ["Org5MSP"])).toEqual({
            signers: ["Org5MSP"],
            missing: 0,
        });
    });

    it("says how many are missing when too few members stay (two of four removed at once)", () => {
        expect(selectSigners(["Org1MSP", "Org5MSP", "Org6MSP", "Org7MSP"], "Org1MSP", ["Org5MSP"])).toEqual({
            signers: ["Org5MSP"],
            missing: 1,
        });
    });

    it("never counts a newcomer, and stops once the policy is met", () => {
        expect(selectSigners(["Org1MSP", "Org2MSP", "Org3MSP"], "Org1MSP", ["Org9MSP", "Org2MSP", "Org3MSP"])).toEqual({
            signers: ["Org2MSP"],
            missing: 0,
        });
    });
});

describe("the step graph of a membership update", () => {
    let spec: NetworkSpec;
    let after: Map<string, readonly string[]>;
    const ancestors = (id: string): Set<string> => {
        const seen = new Set<string>();
        const visit = (s: string) => {
            for (const a of after.get(s) ?? []) {
                if (seen.has(a)) continue;
                seen.add(a);
                visit(a);
            }
        };
        visit(id);
        return seen;
    };
    beforeEach(() => {
        spec = withOrg6();
        after = new Map(stepGraph(spec).map((s) => [s.id, s.after]));
    });

    it("computes after the channel exists, then signs org by org, then submits", () => {
        expect(after.get(stepId.membersCompute("mychannel"))).toEqual([stepId.channelCreate("mychannel")]);
        expect(after.get(stepId.membersSign("mychannel", "Org5"))).toContain(stepId.membersCompute("mychannel"));
        expect(after.get(stepId.membersSign("mychannel", "Org6"))).toContain(stepId.membersSign("mychannel", "Org5"));
        expect(after.get(stepId.membersSubmit("mychannel"))).toEqual([stepId.membersSign("mychannel", "Org6")]);
    });

    it("signs each org on its own host, in that org's CLI (no admin key travels)", () => {
        const host = new Map(stepGraph(spec).map((s) => [s.id, s.host]));
        expect(host.get(stepId.membersCompute("mychannel"))).toBe("peer0-org1");
        expect(host.get(stepId.membersSign("mychannel", "Org5"))).toBe("foo27-org5");
        expect(host.get(stepId.membersSign("mychannel", "Org6"))).toBe("peer0-org6");
        expect(host.get(stepId.membersSubmit("mychannel"))).toBe("peer0-org1");
        expect(membershipSigners(spec, spec.channels[0]!).map((o) => o.name)).toEqual(["Org5", "Org6"]);
    });

    it("joins the new org's peer after the submit, approves after its join and its install", () => {
        const org6 = "peer0.org6.example.com";
        const join = stepId.channelJoin("mychannel", org6);
        expect(ancestors(join)).toContain(stepId.membersSubmit("mychannel"));
        expect(ancestors(join)).toContain(stepId.membersSign("mychannel", "Org5"));
        // The install needs the running peer only, not the channel.
        expect(ancestors(stepId.ccInstall("mycc", org6))).not.toContain(join);
        expect(ancestors(stepId.ccApprove("mycc", "Org6"))).toContain(join);
        expect(ancestors(stepId.ccApprove("mycc", "Org6"))).toContain(stepId.ccInstall("mycc", org6));
    });

    it("leaves the channel alone when only a peer goes: the steps' trigger is the member orgs", () => {
        const dev = stackSpec("dev");
        const fewer: NetworkSpec = {
            ...dev,
            organizations: dev.organizations.map((o) =>
                o.name === "Org5" ? { ...o, peers: o.peers.filter((p) => p.name !== "foo27") } : o,
            ),
        };
        expect(membershipTrigger(fewer, fewer.channels[0]!)).toBe(membershipTrigger(dev, dev.channels[0]!));
        expect(membershipTrigger(spec, spec.channels[0]!)).toBe("Org1MSP,Org5MSP,Org6MSP");
    });

    it("plans nothing of it while network.manageChannelMembers is off (the default)", () => {
        const dev = stackSpec("dev");
        expect(dev.manageChannelMembers).toBe(false);
        const steps = stepGraph(dev);
        expect(steps.filter((s) => s.kind.startsWith("members-"))).toEqual([]);
        expect(steps.find((s) => s.id === stepId.channelJoin("mychannel", "bar.org5.example.com"))!.after).toContain(
            stepId.channelCreate("mychannel"),
        );
    });

    it("does not hold the channel creator's own peers back on a fresh network", () => {
        expect(ancestors(stepId.channelJoin("mychannel", "peer0.org1.example.com"))).not.toContain(
            stepId.membersSubmit("mychannel"),
        );
    });

    it("hands the compute step exactly the channel members' printed groups", () => {
        const files = new Map(
            ["Org1MSP", "Org5MSP", "Org6MSP", "Org7MSP"].map((m) => [
                `artifacts/orgs/${m}.json`,
                Buffer.from(JSON.stringify({ msp: m })),
            ]),
        );
        const anchors = (...peers: string[]) => ({
            AnchorPeers: {
                mod_policy: "Admins",
                value: { anchor_peers: peers.map((host) => ({ host, port: 7051 })) },
                version: "0",
            },
        });
        // The printed group plus the org's anchor peers (configtxgen -printOrg leaves them out).
        expect(JSON.parse(memberDefinitions(spec, spec.channels[0]!, files))).toEqual({
            Org1MSP: { msp: "Org1MSP", values: anchors("peer0.org1.example.com") },
            Org5MSP: { msp: "Org5MSP", values: anchors("bar.org5.example.com") },
            Org6MSP: { msp: "Org6MSP", values: anchors("peer0.org6.example.com") },
        });
        files.delete("artifacts/orgs/Org6MSP.json");
        expect(() => memberDefinitions(spec, spec.channels[0]!, files)).toThrow(
            "artifacts/orgs/Org6MSP.json is missing (configtxgen -printOrg Org6MSP)",
        );
    });
});

/** `peer`: fetch config, signconfigtx and update, on $STATE/block.json; every call logged as "<msp> <sub>". */
const FAKE_PEER = `#!/bin/sh
set -e
[ "$1" = channel ] || { echo "unexpected: $*" >&2; exit 2; }
sub=$2; shift 2
echo "$CORE_PEER_LOCALMSPID $sub" >> "$STATE/calls"
case $sub in
  fetch)
    [ "$1" = config ] || { echo "unexpected fetch $1" >&2; exit 2; }
    cp "$STATE/block.json" "$2";;
  signconfigtx)
    jq --arg m "$CORE_PEER_LOCALMSPID" '.signatures = ((.signatures // []) + [$m])' "$2" > "$2.new" && mv "$2.new" "$2";;
  update)
    members=$(jq -r '.data.data[0].payload.data.config.channel_group.groups.Application.groups | keys[]' "$STATE/block.json")
    n=$(printf '%s\\n' "$members" | wc -l)
    signed=$( { jq -r '.signatures[]?' "$2"; echo "$CORE_PEER_LOCALMSPID"; } | sort -u | grep -cxF -e "$members" || true)
    if [ "$signed" -lt $((n / 2 + 1)) ]; then
      echo "Error: got unexpected status: BAD_REQUEST -- implicit policy evaluation failed - $signed sub-policies were satisfied, but this policy requires $((n / 2 + 1))" >&2
      exit 1
    fi
    jq --slurpfile e "$2" '.data.data[0].payload.data.config = $e[0].payload.data.config_update.updated' "$STATE/block.json" > "$STATE/block.new"
    mv "$STATE/block.new" "$STATE/block.json";;
  *) echo "unexpected: $sub" >&2; exit 2;;
esac
`;

/** `configtxlator`: the stand-ins' protos are JSON already; an update carries the updated config whole. */
const FAKE_CONFIGTXLATOR = `#!/bin/sh
cmd=$1; shift
while [ $# -gt 0 ]; do
  case $1 in --input) in=$2; shift 2;; --output) out=$2; shift 2;; --updated) upd=$2; shift 2;; *) shift;; esac
done
case $cmd in
  proto_decode) cat "$in";;
  proto_encode) cp "$in" "$out";;
  compute_update) jq -n --slurpfile u "$upd" '{updated: $u[0]}' > "$out";;
  *) exit 2;;
esac
`;

const group = (msp: string) => ({ mod_policy: "Admins", values: { MSP: { value: { config: { name: msp } } } } });
const block = (msps: string[]) => ({
    data: {
        data: [
            {
                payload: {
                    data: {
                        config: {
                            sequence: "3",
                            channel_group: {
                                groups: {
                                    Application: {
                                        groups: Object.fromEntries(msps.map((m) => [m, group(m)])),
                                        policies: {
                                            Admins: {
                                                policy: { type: 3, value: { rule: "MAJORITY", sub_policy: "Admins" } },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        ],
    },
});

describe("the membership scripts against stand-in tools", { timeout: 60_000 }, () => {
    let dir: string;
    let state: string;
    let spec: NetworkSpec;
    beforeEach(() => {
        ({ dir, state } = standinDir("fk-members-", FAKE_PEER, FAKE_CONFIGTXLATOR));
        fs.writeFileSync(path.join(state, "calls"), "");
        spec = withOrg6();
    });
    const setMembers = (msps: string[]) =>
        fs.writeFileSync(path.join(state, "block.json"), JSON.stringify(block(msps)));
    const members = () =>
        Object.keys(
            (JSON.parse(fs.readFileSync(path.join(state, "block.json"), "utf8")) as ReturnType<typeof block>).data
                .data[0]!.payload.data.config.channel_group.groups.Application.groups,
        );
    const appGroup = (msp: string) =>
        (JSON.parse(fs.readFileSync(path.join(state, "block.json"), "utf8")) as ReturnType<typeof block>).data.data[0]!
            .payload.data.config.channel_group.groups.Application.groups[msp];
    const calls = () => fs.readFileSync(path.join(state, "calls"), "utf8").trim().split("\n").filter(Boolean);
    /** Runs a step as its CLI would (`set -eu` first), as org `msp`'s admin. */
    const run = (msp: string, script: string, stdin: string) =>
        execFileSync("sh", ["-c", `set -eu\n${script}`], {
            input: stdin,
            encoding: "utf8",
            env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}`, STATE: state, CORE_PEER_LOCALMSPID: msp },
        });
    const runFailing = (msp: string, script: string, stdin: string) => {
        try {
            run(msp, script, stdin);
        } catch (e) {
            return String((e as { stderr?: string }).stderr);
        }
        throw new Error("the step succeeded");
    };
    const definitions = (msps: string[]) => JSON.stringify(Object.fromEntries(msps.map((m) => [m, group(m)])));
    const ch = () => spec.channels[0]!;

    /** compute (Org1) → each signer in turn (on its own "host": as its own MSP) → submit (Org1). */
    const pipeline = (s: NetworkSpec, defs: string) => {
        const c = s.channels[0]!;
        let out = run("Org1MSP", membershipComputeScript(s, c), defs);
        const log = [out];
        for (const org of membershipSigners(s, c)) {
            out = run(org.mspId, membershipSignScript(c, org), out);
            log.push(out);
        }
        log.push(run("Org1MSP", membershipSubmitScript(s, c), out));
        return log.join("\n");
    };

    it("adds Org6's group with Org5's signature (Org1 submits; Org6, not yet a member, does not sign)", () => {
        setMembers(["Org1MSP", "Org5MSP"]);
        const out = pipeline(spec, definitions(["Org1MSP", "Org5MSP", "Org6MSP"]));
        expect(out).toContain("mychannel: update prepared: add Org6MSP, remove nothing; MAJORITY Admins of 2 members");
        expect(out).toContain("Org5MSP on mychannel: signed by the org's admin");
        expect(out).toContain("Org6MSP on mychannel: not a member before the change, its signature would not count");
        expect(members()).toEqual(["Org1MSP", "Org5MSP", "Org6MSP"]);
        expect(appGroup("Org6MSP")).toEqual(group("Org6MSP"));
        expect(calls().filter((c) => !c.endsWith(" fetch"))).toEqual(["Org5MSP signconfigtx", "Org1MSP update"]);
    });

    it("does nothing on a channel that already has the configured members (a fresh network, or a re-run)", () => {
        setMembers(["Org1MSP", "Org5MSP", "Org6MSP"]);
        const out = pipeline(spec, definitions(["Org1MSP", "Org5MSP", "Org6MSP"]));
        expect(out).toContain("mychannel: members already as configured: Org1MSP Org5MSP Org6MSP");
        expect(out).toContain("mychannel: no membership update to submit");
        expect(calls()).toEqual(["Org1MSP fetch"]);
    });

    it("skips a submit whose update an earlier run already applied", () => {
        setMembers(["Org1MSP", "Org5MSP"]);
        const c = ch();
        let out = run("Org1MSP", membershipComputeScript(spec, c), definitions(["Org6MSP"]));
        for (const org of membershipSigners(spec, c)) out = run(org.mspId, membershipSignScript(c, org), out);
        run("Org1MSP", membershipSubmitScript(spec, c), out);
        // The same envelope again, as a re-run of a submit recorded as failed would send it.
        expect(run("Org1MSP", membershipSubmitScript(spec, c), out)).toContain(
            "mychannel: members already as configured (an earlier run submitted the update)",
        );
        expect(calls().filter((x) => x.endsWith(" update"))).toHaveLength(1);
    });

    it("removes a group that is no longer configured, signed by the members that stay", () => {
        setMembers(["Org1MSP", "Org5MSP", "Org6MSP"]);
        const dev = stackSpec("dev");
        const out = pipeline(dev, definitions(["Org1MSP", "Org5MSP"]));
        expect(out).toContain("add nothing, remove Org6MSP; MAJORITY Admins of 3 members");
        expect(members()).toEqual(["Org1MSP", "Org5MSP"]);
        expect(calls().filter((c) => !c.endsWith(" fetch"))).toEqual(["Org5MSP signconfigtx", "Org1MSP update"]);
    });

    it("fails before submitting when too few members stay to satisfy the policy, saying how many are missing", () => {
        setMembers(["Org1MSP", "Org5MSP", "Org6MSP", "Org7MSP"]);
        const dev = stackSpec("dev");
        const c = dev.channels[0]!;
        let out = run("Org1MSP", membershipComputeScript(dev, c), definitions([]));
        out = run("Org5MSP", membershipSignScript(c, orgByName(dev, "Org5")), out);
        expect(runFailing("Org1MSP", membershipSubmitScript(dev, c), out)).toContain(
            "mychannel: the update still lacks 1 admin signature(s) of the members before the change (Org1MSP Org5MSP Org6MSP Org7MSP)",
        );
        expect(calls().filter((x) => x.endsWith(" update"))).toEqual([]);
    });

    it("the stand-in orderer enforces the policy: an envelope without Org5's signature is refused", () => {
        setMembers(["Org1MSP", "Org5MSP"]);
        const out = run("Org1MSP", membershipComputeScript(spec, ch()), definitions(["Org6MSP"]));
        // Claim that no more signatures are needed: the submit sends, and the orderer refuses.
        const forged = out.replace(/^NEEDED \d+$/m, "NEEDED 0");
        expect(runFailing("Org1MSP", membershipSubmitScript(spec, ch()), forged)).toContain(
            "1 sub-policies were satisfied, but this policy requires 2",
        );
        expect(members()).toEqual(["Org1MSP", "Org5MSP"]);
    });

    it("names the org whose group definition is missing", () => {
        setMembers(["Org1MSP", "Org5MSP"]);
        expect(runFailing("Org1MSP", membershipComputeScript(spec, ch()), definitions([]))).toContain(
            "mychannel: no group definition for Org6MSP",
        );
    });
});
