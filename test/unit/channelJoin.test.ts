/**
 * The channel join step, run for real under `sh` against a stand-in `peer` (and `configtxlator`) whose
 * ledger grows by a set number of blocks on every `peer channel getinfo`: the step ends only once the peer's
 * ledger has caught up with the orderer's height of the channel, and fails, naming the peer and the channel,
 * when the ledger stops growing.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ChannelSpec, NetworkSpec, PeerSpec } from "../../config";
import { CATCH_UP_STALL_CHECKS, channelJoinScript } from "../../plan";
import { stackSpec } from "../support/stacks";
import { standinDir } from "../support/standins";

// Built in beforeEach, not at load time, so the mutation run can tell which test reaches which code.
let dev: NetworkSpec;
let ch: ChannelSpec;
let peer0: PeerSpec;
beforeEach(() => {
    dev = stackSpec("dev");
    ch = dev.channels[0]!;
    peer0 = dev.organizations[0]!.peers[0]!;
});

/**
 * State in $STATE: `joined` (present once joined), `height` (the peer's ledger height), `grow` (blocks the
 * ledger gains per getinfo), `orderer` (the channel's height at the orderer; absent: the orderer is down),
 * `calls` (one line per command that changes something or reads the orderer).
 */
const FAKE_PEER = `#!/bin/sh
set -e
[ "$1" = channel ] || { echo "unexpected: $*" >&2; exit 2; }
sub=$2; shift 2
echo "$sub $1" >> "$STATE/calls"
case $sub in
  list)
    echo "Channels peers has joined: "
    [ -f "$STATE/joined" ] && echo mychannel
    exit 0;;
  fetch)
    which=$1; file=$2
    [ -f "$STATE/orderer" ] || { echo "Error: orderer unreachable" >&2; exit 1; }
    if [ "$which" = newest ]; then
      printf '{"header":{"number":"%s"}}' $(( $(cat "$STATE/orderer") - 1 )) > "$file"
    else
      echo block0 > "$file"
    fi
    echo "Received block: 0" >&2;;
  join)
    [ -s "$2" ] || { echo "no block file $2" >&2; exit 1; }
    touch "$STATE/joined"; echo 1 > "$STATE/height";;
  getinfo)
    [ -f "$STATE/joined" ] || { echo "Error: channel mychannel not found" >&2; exit 1; }
    h=$(cat "$STATE/height")
    echo "2026-01-01 00:00:00.000 UTC 0001 INFO [channelCmd] InitCmdFactory -> Endorser and orderer connections initialized" >&2
    echo "Blockchain info: {\\"height\\":$h,\\"currentBlockHash\\":\\"q83v\\",\\"previousBlockHash\\":\\"3q2+\\"}"
    echo $(( h + $(cat "$STATE/grow") )) > "$STATE/height";;
  *) echo "unexpected: $sub" >&2; exit 2;;
esac
`;

// Each check spawns a few processes; with the other suites running in parallel that takes seconds.
describe("the join step waits until the peer's ledger has caught up", { timeout: 60_000 }, () => {
    let dir: string;
    let state: string;
    beforeEach(() => {
        ({ dir, state } = standinDir("fk-join-", FAKE_PEER));
    });
    const put = (name: string, value: number) => fs.writeFileSync(path.join(state, name), `${value}\n`);
    const read = (name: string) => fs.readFileSync(path.join(state, name), "utf8").trim();
    const calls = () => read("calls").split("\n");

    /** Runs the script the way the CLI container does (`sh -c "set -eu; ..."`), /work mapped to a temp dir. */
    const run = () => {
        const body = `set -eu\n${channelJoinScript(dev, ch, peer0).replaceAll("/work/", `${dir}/work/`)}`;
        try {
            const stdout = execFileSync("sh", ["-c", body], {
                env: { PATH: `${dir}/bin:${process.env.PATH}`, STATE: state },
                encoding: "utf8",
                stdio: ["pipe", "pipe", "pipe"],
            });
            return { code: 0, out: stdout };
        } catch (e) {
            const err = e as { status: number; stdout: string; stderr: string };
            return { code: err.status, out: `${err.stdout}${err.stderr}` };
        }
    };

    it("joins a new peer and returns only once its ledger reaches the channel's height of 201 blocks", () => {
        put("orderer", 201);
        put("grow", 50);
        const r = run();
        expect(r.out).toContain("peer0.org1.example.com joined mychannel");
        expect(r.out).toContain("peer0.org1.example.com on channel mychannel: ledger caught up (height 201");
        expect(r.code).toBe(0);
        // 1, 51, 101, 151: behind; 201: caught up. Never declared ready on an earlier height.
        expect(calls().filter((c) => c.startsWith("getinfo"))).toHaveLength(5);
        expect(calls().filter((c) => c.startsWith("join"))).toHaveLength(1);
        expect(calls()).toContain("fetch newest");
    });

    it("keeps waiting while the ledger grows slowly, longer than the stall window", () => {
        put("orderer", CATCH_UP_STALL_CHECKS * 2);
        put("grow", 1);
        const r = run();
        expect(r.code).toBe(0);
        expect(calls().filter((c) => c.startsWith("getinfo")).length).toBeGreaterThan(CATCH_UP_STALL_CHECKS);
    });

    it("also waits for a peer that had already joined, without joining again", () => {
        fs.writeFileSync(path.join(state, "joined"), "");
        put("height", 10);
        put("orderer", 30);
        put("grow", 10);
        const r = run();
        expect(r).toMatchObject({ code: 0, out: expect.stringContaining("already joined mychannel") });
        expect(r.out).toContain("ledger caught up (height 30");
        expect(calls().some((c) => c.startsWith("join"))).toBe(false);
    });

    it("fails naming the peer and the channel when the ledger stops growing", () => {
        put("orderer", 201);
        put("grow", 0);
        const r = run();
        expect(r.code).toBe(1);
        expect(r.out).toContain(
            `peer0.org1.example.com on channel mychannel: the ledger has not caught up with the channel (height 1 of 201 after ${CATCH_UP_STALL_CHECKS + 1} checks 2 s apart, ${CATCH_UP_STALL_CHECKS} without progress)`,
        );
        expect(r.out).not.toContain("caught up (height");
    });

    it("fails naming the peer and the channel when the orderer cannot tell the channel's height", () => {
        fs.writeFileSync(path.join(state, "joined"), "");
        put("height", 10);
        put("grow", 1);
        const r = run();
        expect(r.code).toBe(1);
        expect(r.out).toContain(
            "peer0.org1.example.com on channel mychannel: could not fetch the newest block from the orderer",
        );
    });
});
