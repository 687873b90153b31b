/**
 * The migration's channel-config scripts (maintenance, switch, normal, abort check) run for real under `sh`,
 * against stand-ins: `peer` serves each channel's config from a JSON file and applies an update by storing the
 * updated config; `configtxlator` treats every "protobuf" file as JSON and computes an update as the pair
 * (original, updated); `sleep` returns at once. What is checked: each update changes exactly what Fabric allows
 * (the state alone, or the type and metadata alone), a re-run changes nothing, an unexpected state stops the
 * script with its reason, and the check on every orderer fails when one orderer disagrees.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec } from "../../config";
import { MigrationPlan, MigrationStep, orderingPlan } from "../../plan";
import { migrationSpec } from "../support/stacks";

const FAKE_PEER = `#!/bin/sh
set -eu
arg() { key=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$key" ] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
  "channel fetch")
    file=$4; ch=$(arg -c "$@"); o=$(arg -o "$@")
    [ -e "$STATE/down/$o" ] && { echo "Error: connection to $o refused" >&2; exit 1; }
    src="$STATE/$ch.json"; [ -f "$STATE/$o/$ch.json" ] && src="$STATE/$o/$ch.json"
    jq --slurpfile c "$src" -n '{data: {data: [{payload: {data: {config: $c[0]}}}]}}' > "$file";;
  "channel update")
    file=$(arg -f "$@"); ch=$(arg -c "$@")
    jq '.payload.data.config_update.updated' "$file" > "$STATE/$ch.json"
    echo "update $ch $(jq -c '.channel_group.groups.Orderer.values.ConsensusType.value' "$STATE/$ch.json")" >> "$STATE/calls";;
  *) echo "unexpected: peer $*" >&2; exit 1;;
esac
`;

const FAKE_CONFIGTXLATOR = `#!/bin/sh
set -eu
arg() { key=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$key" ] && { echo "$2"; return; }; shift; done; }
case $1 in
  proto_decode) cat "$(arg --input "$@")";;
  proto_encode) cp "$(arg --input "$@")" "$(arg --output "$@")";;
  compute_update) jq -n --slurpfile a "$(arg --original "$@")" --slurpfile b "$(arg --updated "$@")" '{original: $a[0], updated: $b[0]}' > "$(arg --output "$@")";;
  *) exit 2;;
esac
`;

/**
 * docker: `exec <admin> sh -c <script>` runs the script here; the host-side commands keep each container's
 * running state in $STATE/running/<name> and log what they did to $STATE/docker.
 */
const FAKE_DOCKER = `#!/bin/sh
set -eu
log() { echo "$*" >> "$STATE/docker"; }
running() { [ -f "$STATE/running/$1" ]; }
# A command made to fail: $STATE/fail/<command> exists.
[ -f "$STATE/fail/$1" ] && { echo "Error response from daemon: $1 failed" >&2; exit 1; }
case $1 in
  exec)
    # The readiness check's GET /healthz and its probe of the gRPC port: a running node answers.
    case "$*" in
      *healthz*) running "$2" && echo "HTTP/1.0 200 OK" || echo "Error: container $2 is not running"; exit 0;;
      *"HTTP/2.0"*) running "$2" && echo serving || echo "Error: container $2 is not running"; exit 0;;
    esac
    shift 2; exec "$@";;
  inspect)
    fmt=$3; c=$4
    case $fmt in
      *Config.Image*) echo "sha256:image-of-$c";;
      *State.Health*) running "$c" && echo healthy || echo unhealthy;;
      *State.Running*) running "$c" && echo true || echo false;;
      *State.Status*) running "$c" && echo "running 2026-01-01T00:00:00Z" || echo "exited 2026-01-01T00:00:00Z";;
    esac;;
  stop) c=$4; rm -f "$STATE/running/$c"; log "stop $c";;
  start) touch "$STATE/running/$2"; log "start $2";;
  restart) touch "$STATE/running/$2"; log "restart $2";;
  rm) log "rm $3";;
  volume) log "volume rm $3";;
  run) shift; log "run $*";;
  # An orderer's log: $STATE/logs/<container>, when there is one.
  logs) shift; while [ $# -gt 1 ]; do shift; done; [ -f "$STATE/logs/$1" ] && cat "$STATE/logs/$1"; exit 0;;
  *) echo "unexpected: docker $*" >&2; exit 1;;
esac
`;

// Built in beforeEach, not at load time, so the mutation run can tell which test reaches which code.
let spec: NetworkSpec;
let migrate: MigrationPlan;
let abort: MigrationPlan;
const step = (steps: readonly MigrationStep[], name: string) => steps.find((s) => s.resourceName === name)!;

const consenters = { consenters: [{ host: "orderer0.example.com", port: 7050 }], options: { tick_interval: "500ms" } };
const channelConfig = (type: string, state: string, metadata: unknown = null) => ({
    channel_group: {
        groups: { Orderer: { values: { ConsensusType: { mod_policy: "Admins", value: { type, state, metadata } } } } },
    },
});

let dir: string;
const state = (f: string) => path.join(dir, "state", f);
const setChannel = (ch: string, cfg: unknown, orderer?: string) => {
    const file = orderer ? state(`${orderer}/${ch}.json`) : state(`${ch}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(cfg));
};
const consensusOf = (ch: string) =>
    (JSON.parse(fs.readFileSync(state(`${ch}.json`), "utf8")) as ReturnType<typeof channelConfig>).channel_group.groups
        .Orderer.values.ConsensusType.value;
const calls = () => (fs.existsSync(state("calls")) ? fs.readFileSync(state("calls"), "utf8").trim().split("\n") : []);

function run(s: MigrationStep): { code: number; out: string } {
    // The Raft genesis block the switch reads lives in the admin CLI's /work; here, in the test's folder.
    const script = s.script.replaceAll("/work/raft-genesis.block", path.join(dir, "raft-genesis.block"));
    try {
        const out = execFileSync("sh", ["-c", script], {
            env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, STATE: state(""), HOME: dir },
            encoding: "utf8",
            stdio: ["pipe", "pipe", "pipe"],
        });
        return { code: 0, out };
    } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, out: `${err.stdout}${err.stderr}` };
    }
}

beforeEach(() => {
    spec = migrationSpec();
    migrate = orderingPlan(spec).migration!;
    abort = orderingPlan(migrationSpec({ abort: true })).migration!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-migration-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.mkdirSync(state("down"), { recursive: true });
    fs.mkdirSync(state("running"), { recursive: true });
    fs.mkdirSync(state("fail"), { recursive: true });
    fs.mkdirSync(state("logs"), { recursive: true });
    for (const [name, body] of [
        ["peer", FAKE_PEER],
        ["configtxlator", FAKE_CONFIGTXLATOR],
        ["docker", FAKE_DOCKER],
        ["sleep", '#!/bin/sh\necho "sleep $1" >> "$STATE/docker"\n'],
        ["du", "#!/bin/sh\necho '4.0K\t'\"$2\"\n"],
    ]) {
        fs.writeFileSync(path.join(dir, "bin", name!), body!, { mode: 0o755 });
    }
    fs.writeFileSync(
        path.join(dir, "raft-genesis.block"),
        JSON.stringify({
            data: { data: [{ payload: { data: { config: channelConfig("etcdraft", "STATE_NORMAL", consenters) } } }] },
        }),
    );
});

describe("phase 1: maintenance", () => {
    const s = () => step(migrate.steps, "migrate-1-maintenance-mychannel");

    it("changes the state alone, checks every orderer, and does nothing on a re-run", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"));
        const first = run(s());
        expect(consensusOf("mychannel")).toEqual({ type: "kafka", state: "STATE_MAINTENANCE", metadata: null });
        expect(first).toEqual({
            code: 0,
            out: [
                "mychannel: maintenance mode requested",
                ...["orderer0", "orderer1", "orderer2"].map(
                    (o) => `${o}.example.com:7050: mychannel is kafka STATE_MAINTENANCE`,
                ),
                "",
            ].join("\n"),
        });
        const second = run(s());
        expect(second.code, second.out).toBe(0);
        expect(second.out).toContain("mychannel: already in maintenance");
        expect(calls()).toHaveLength(1);
    });

    it("gives up, saying so, when no orderer serves the channel's config", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"));
        for (const o of spec.orderers) fs.writeFileSync(state(`down/${o.fqdn}:${o.port}`), "");
        expect(run(s())).toEqual({ code: 1, out: "cannot read the config of mychannel from the orderers\n" });
        expect(calls()).toEqual([]);
    });

    it("refuses a channel that is not on Kafka", () => {
        setChannel("mychannel", channelConfig("etcdraft", "STATE_NORMAL", consenters));
        const r = run(s());
        expect(r.code).not.toBe(0);
        expect(r.out).toContain("mychannel: consensus is etcdraft STATE_NORMAL; expected kafka");
        expect(calls()).toEqual([]);
    });

    it("fails, naming the orderer, when one orderer does not report maintenance", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"));
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"), "orderer2.example.com:7050");
        const r = run(s());
        expect(r.code).not.toBe(0);
        expect(r.out).toContain(
            "orderer2.example.com:7050 reports kafka STATE_NORMAL on mychannel, expected kafka STATE_MAINTENANCE",
        );
    });
});

describe("phase 3: switch", () => {
    const s = () => step(migrate.steps, "migrate-3-switch-mychannel");

    it("sets the type and the genesis block's consenter metadata, keeps maintenance, and does nothing on a re-run", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_MAINTENANCE"));
        const first = run(s());
        expect(consensusOf("mychannel")).toEqual({
            type: "etcdraft",
            metadata: consenters,
            state: "STATE_MAINTENANCE",
        });
        expect(first).toEqual({
            code: 0,
            out: [
                "mychannel: consensus type set to etcdraft",
                ...["orderer0", "orderer1", "orderer2"].map(
                    (o) => `${o}.example.com:7050: mychannel is etcdraft STATE_MAINTENANCE`,
                ),
                "",
            ].join("\n"),
        });
        expect(run(s()).out).toContain("mychannel: already etcdraft");
        expect(calls()).toHaveLength(1);
    });

    it("refuses a channel still in normal mode: the state and the type never change in one update", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"));
        const r = run(s());
        expect(r.code).not.toBe(0);
        expect(r.out).toBe(
            "mychannel: consensus is kafka STATE_NORMAL; expected kafka in maintenance (phase 1 puts every channel there)\n",
        );
        expect(calls()).toEqual([]);
    });

    it("refuses a Raft genesis block without consenter metadata", () => {
        fs.writeFileSync(
            path.join(dir, "raft-genesis.block"),
            JSON.stringify({
                data: { data: [{ payload: { data: { config: channelConfig("etcdraft", "STATE_NORMAL") } } }] },
            }),
        );
        setChannel("mychannel", channelConfig("kafka", "STATE_MAINTENANCE"));
        expect(run(s())).toEqual({ code: 1, out: `no Raft consenter metadata in ${dir}/raft-genesis.block\n` });
        expect(calls()).toEqual([]);
    });
});

describe("phase 5: normal mode", () => {
    it("changes the state alone and checks the system channel on every orderer", () => {
        setChannel("system-channel", channelConfig("etcdraft", "STATE_MAINTENANCE", consenters));
        const r = run(step(migrate.steps, "migrate-5-normal-system-channel"));
        expect(r.code, r.out).toBe(0);
        expect(consensusOf("system-channel")).toEqual({
            type: "etcdraft",
            state: "STATE_NORMAL",
            metadata: consenters,
        });
        for (const o of ["orderer0", "orderer1", "orderer2"])
            expect(r.out).toContain(`${o}.example.com:7050: system-channel is etcdraft STATE_NORMAL`);
        expect(run(step(migrate.steps, "migrate-5-normal-system-channel")).out).toContain("already in normal mode");
        expect(calls()).toHaveLength(1);
    });

    it("checks an application channel on the orderer that took the update only", () => {
        setChannel("mychannel", channelConfig("etcdraft", "STATE_MAINTENANCE", consenters));
        setChannel(
            "mychannel",
            channelConfig("etcdraft", "STATE_MAINTENANCE", consenters),
            "orderer2.example.com:7050",
        );
        expect(run(step(migrate.steps, "migrate-5-normal-mychannel"))).toEqual({
            code: 0,
            out: "mychannel: normal mode requested\norderer0.example.com:7050: mychannel is etcdraft STATE_NORMAL\n",
        });
    });

    it("refuses to end maintenance on a channel that was not switched", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_MAINTENANCE"));
        const r = run(step(migrate.steps, "migrate-5-normal-mychannel"));
        expect(r.code).not.toBe(0);
        expect(r.out).toContain("mychannel: consensus is kafka STATE_MAINTENANCE; expected etcdraft in maintenance");
    });
});

describe("abort", () => {
    const check = () => step(abort.steps, "abort-0-check");

    it("refuses once the system channel has left maintenance", () => {
        setChannel("system-channel", channelConfig("etcdraft", "STATE_NORMAL", consenters));
        const r = run(check());
        expect(r.code).not.toBe(0);
        expect(r.out).toContain("abort is only possible while the channels are in maintenance");
    });

    it("goes ahead while in maintenance, on Kafka or already on Raft", () => {
        for (const type of ["kafka", "etcdraft"]) {
            setChannel("system-channel", channelConfig(type, "STATE_MAINTENANCE"));
            const r = run(check());
            expect(r.code, r.out).toBe(0);
            expect(r.out).toContain(`the system channel is ${type} STATE_MAINTENANCE: the backup can be restored`);
        }
    });

    it("goes ahead when no orderer answers (a crashed migration is what abort is for)", () => {
        for (const o of spec.orderers) fs.writeFileSync(state(`down/${o.fqdn}:${o.port}`), "");
        setChannel("system-channel", channelConfig("etcdraft", "STATE_MAINTENANCE"));
        const r = run(check());
        expect(r.code, r.out).toBe(0);
        expect(r.out).toContain("no orderer answers for the system channel: restoring the backup");
    });

    it("returns each channel to normal mode on Kafka", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_MAINTENANCE"));
        const r = run(step(abort.steps, "abort-5-normal-mychannel"));
        expect(r.code, r.out).toBe(0);
        expect(consensusOf("mychannel")).toEqual({ type: "kafka", state: "STATE_NORMAL", metadata: null });
    });

    it("checks the system channel on every orderer, an application channel on the first only", () => {
        for (const ch of ["system-channel", "mychannel"]) setChannel(ch, channelConfig("kafka", "STATE_MAINTENANCE"));
        const normal = (ch: string, orderers: string[]) =>
            [
                `${ch}: normal mode requested`,
                ...orderers.map((o) => `${o}.example.com:7050: ${ch} is kafka STATE_NORMAL`),
                "",
            ].join("\n");
        expect(run(step(abort.steps, "abort-5-normal-system-channel"))).toEqual({
            code: 0,
            out: normal("system-channel", ["orderer0", "orderer1", "orderer2"]),
        });
        expect(run(step(abort.steps, "abort-5-normal-mychannel"))).toEqual({
            code: 0,
            out: normal("mychannel", ["orderer0"]),
        });
    });
});

describe("host steps", () => {
    const dockerLog = () =>
        fs.existsSync(state("docker")) ? fs.readFileSync(state("docker"), "utf8").trim().split("\n") : [];
    const setRunning = (c: string) => fs.writeFileSync(state(`running/${c}`), "");
    const failing = (command: string) => fs.writeFileSync(state(`fail/${command}`), "");
    const BACKUPS = () => `${dir}/backups/kafka-to-raft`;
    /** The plan's backup paths, moved into the test's folder. */
    const local = (s: MigrationStep): MigrationStep => ({
        ...s,
        script: s.script.replaceAll("/var/lib/fabric-kafka/", `${dir}/`),
    });

    it("stops a running broker after a 30 s flush, and a stopped one at once", () => {
        setRunning("kafka1");
        expect(run(step(migrate.steps, "migrate-2-stop-kafka1"))).toEqual({ code: 0, out: "kafka1 stopped\n" });
        expect(dockerLog()).toEqual(["sleep 30", "stop kafka1"]);
        expect(run(step(migrate.steps, "migrate-2-stop-kafka1")).code).toBe(0);
        expect(dockerLog()).toEqual(["sleep 30", "stop kafka1", "stop kafka1"]);
    });

    it("stops orderers, ZooKeeper, and brokers already flushed once, without waiting", () => {
        for (const c of ["orderer0.example.com", "zookeeper1", "kafka1"]) setRunning(c);
        for (const name of ["migrate-2-stop-orderer0", "migrate-2-stop-zookeeper1", "migrate-4-stop-kafka1"])
            expect(run(step(migrate.steps, name)).code, name).toBe(0);
        expect(dockerLog()).toEqual(["stop orderer0.example.com", "stop zookeeper1", "stop kafka1"]);
    });

    it("fails a step whose docker command fails, before it reports anything done", () => {
        failing("stop");
        expect(run(step(migrate.steps, "migrate-2-stop-zookeeper1"))).toEqual({
            code: 1,
            out: "Error response from daemon: stop failed\n",
        });
        failing("start");
        expect(run(step(migrate.steps, "migrate-2-start-zookeeper1"))).toEqual({
            code: 1,
            out: "Error response from daemon: start failed\n",
        });
        failing("restart");
        expect(run(step(migrate.steps, "migrate-5-reconnect-peer0-org1"))).toEqual({
            code: 1,
            out: "Error response from daemon: restart failed\n",
        });
        failing("run");
        const backup = run(local(step(migrate.steps, "migrate-2-backup-kafka1")));
        expect(backup).toEqual({ code: 1, out: "Error response from daemon: run failed\n" });
        fs.writeFileSync(path.join(BACKUPS(), "kafka1-logs.tar.gz"), "archive");
        const restore = run(local(step(abort.steps, "abort-2-restore-kafka1")));
        expect(restore).toEqual({ code: 1, out: "Error response from daemon: run failed\n" });
    });

    it("backs up each volume of a stopped node from a container of its own image, and refuses a running node", () => {
        const s = local(step(migrate.steps, "migrate-2-backup-zookeeper1"));
        setRunning("zookeeper1");
        expect(run(s)).toEqual({
            code: 1,
            out: "zookeeper1 is running: refusing to back up zookeeper1-data while it changes\n",
        });
        fs.rmSync(state("running/zookeeper1"));
        const r = run(s);
        expect(r.code, r.out).toBe(0);
        // Only the owner may read the backups: they hold the ledgers.
        expect(fs.statSync(BACKUPS()).mode & 0o777).toBe(0o700);
        const tar = (v: string) => `tar -C /v -czf /b/${v}.tar.gz.part . && mv /b/${v}.tar.gz.part /b/${v}.tar.gz`;
        expect(dockerLog()).toEqual(
            ["zookeeper1-data", "zookeeper1-datalog"].map(
                (v) =>
                    `run --rm --pull=never --user 0:0 --entrypoint sh -v ${v}:/v:ro -v ${BACKUPS()}:/b sha256:image-of-zookeeper1 -c ${tar(v)}`,
            ),
        );
        expect(r.out).toBe(
            ["zookeeper1-data", "zookeeper1-datalog"]
                .map((v) => `backed up ${v} to ${BACKUPS()}/${v}.tar.gz (4.0K)\n`)
                .join(""),
        );
    });

    it("restores only from a backup that is there, into a stopped node", () => {
        const s = local(step(abort.steps, "abort-2-restore-kafka2"));
        expect(run(s)).toEqual({
            code: 1,
            out: `no backup of kafka2-logs at ${BACKUPS()}/kafka2-logs.tar.gz: nothing to restore\n`,
        });
        fs.mkdirSync(BACKUPS(), { recursive: true });
        fs.writeFileSync(path.join(BACKUPS(), "kafka2-logs.tar.gz"), "archive");
        setRunning("kafka2");
        expect(run(s)).toEqual({ code: 1, out: "kafka2 is running: refusing to restore kafka2-logs under it\n" });
        fs.rmSync(state("running/kafka2"));
        expect(run(s)).toEqual({ code: 0, out: `restored kafka2-logs from ${BACKUPS()}/kafka2-logs.tar.gz\n` });
        expect(dockerLog()).toEqual([
            `run --rm --pull=never --user 0:0 --entrypoint sh -v kafka2-logs:/v -v ${BACKUPS()}:/b:ro sha256:image-of-kafka2 -c find /v -mindepth 1 -delete && tar -C /v -xzf /b/kafka2-logs.tar.gz`,
        ]);
    });

    it("starts a node and waits until it is ready", () => {
        const r = run(step(migrate.steps, "migrate-2-start-orderer1"));
        expect(r.code, r.out).toBe(0);
        expect(dockerLog()).toEqual(["start orderer1.example.com"]);
        expect(r.out).toMatch(/orderer1\.example\.com on host orderer1 ready \(1 checks\): healthz 200/);
    });

    it("restarts a peer so it delivers again, once it is ready", () => {
        const r = run(step(migrate.steps, "migrate-5-reconnect-bar-org5"));
        expect(r.code, r.out).toBe(0);
        expect(dockerLog()).toEqual(["restart bar.org5.example.com"]);
        expect(r.out.trim().split("\n").pop()).toBe("bar.org5.example.com restarted");
    });

    it("waits for a Raft leader on every channel in the orderer's log, and names the leader it saw", () => {
        const o = "orderer1.example.com";
        const leader = (ch: string) =>
            `2026-12-01 INFO [orderer.consensus.etcdraft] serveRequest -> Raft leader changed: 0 -> 2 channel=${ch} node=2\n`;
        fs.writeFileSync(state(`logs/${o}`), leader("system-channel") + leader("mychannel"));
        expect(run(step(migrate.steps, "migrate-4-leader-orderer1"))).toEqual({
            code: 0,
            out: [
                `${o}: Raft leader changed: 0 -> 2 channel=system-channel node=2`,
                `${o}: Raft leader changed: 0 -> 2 channel=mychannel node=2`,
                "",
            ].join("\n"),
        });
        expect(dockerLog()).toEqual([]);
    });

    it("keeps waiting while a channel has no leader, reading its name exactly, and gives up after 180 s", () => {
        const o = "orderer1.example.com";
        // A leader on "mychannel2" and on "mychannelx" is not one on "mychannel"; "system-channel" has one.
        fs.writeFileSync(
            state(`logs/${o}`),
            [
                "Raft leader changed: 0 -> 1 channel=system-channel node=2",
                "Raft leader changed: 0 -> 1 channel=mychannel2 node=2",
                "Raft leader changed: 0 -> 1 channel=mychannelx node=2",
                "Raft leader changed: 1 -> 0 channel=mychannel node=2",
                "",
            ].join("\n"),
        );
        const r = run(step(migrate.steps, "migrate-4-leader-orderer1"));
        expect(r.code).toBe(1);
        expect(r.out.split("\n")).toContain(`${o}: no Raft leader on mychannel after 180 s`);
        expect(dockerLog()).toEqual(Array.from({ length: 89 }, () => "sleep 2"));
    });

    it("removes the backend's containers, and their volumes only when asked", () => {
        expect(run(step(migrate.steps, "migrate-5-remove-zookeeper2"))).toEqual({
            code: 0,
            out: "zookeeper2 removed\nvolumes kept: zookeeper2-data, zookeeper2-datalog\n",
        });
        expect(dockerLog()).toEqual(["rm zookeeper2"]);
        const drop = orderingPlan(migrationSpec({ removeBackendVolumes: true })).migration!;
        expect(run(step(drop.steps, "migrate-5-remove-zookeeper2"))).toEqual({
            code: 0,
            out: "zookeeper2 removed\nvolume zookeeper2-data removed\nvolume zookeeper2-datalog removed\n",
        });
        expect(dockerLog()).toEqual([
            "rm zookeeper2",
            "rm zookeeper2",
            "volume rm zookeeper2-data",
            "volume rm zookeeper2-datalog",
        ]);
    });
});
