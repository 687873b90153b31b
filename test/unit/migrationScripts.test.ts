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
  logs) ;;
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
        expect(first.code, first.out).toBe(0);
        expect(consensusOf("mychannel")).toEqual({ type: "kafka", state: "STATE_MAINTENANCE", metadata: null });
        for (const o of ["orderer0", "orderer1", "orderer2"])
            expect(first.out).toContain(`${o}.example.com:7050: mychannel is kafka STATE_MAINTENANCE`);
        const second = run(s());
        expect(second.code, second.out).toBe(0);
        expect(second.out).toContain("mychannel: already in maintenance");
        expect(calls()).toHaveLength(1);
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
        expect(first.code, first.out).toBe(0);
        expect(consensusOf("mychannel")).toEqual({
            type: "etcdraft",
            metadata: consenters,
            state: "STATE_MAINTENANCE",
        });
        expect(run(s()).out).toContain("mychannel: already etcdraft");
        expect(calls()).toHaveLength(1);
    });

    it("refuses a channel still in normal mode: the state and the type never change in one update", () => {
        setChannel("mychannel", channelConfig("kafka", "STATE_NORMAL"));
        const r = run(s());
        expect(r.code).not.toBe(0);
        expect(r.out).toContain("expected kafka in maintenance");
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
});

describe("host steps", () => {
    const dockerLog = () =>
        fs.existsSync(state("docker")) ? fs.readFileSync(state("docker"), "utf8").trim().split("\n") : [];
    const setRunning = (c: string) => fs.writeFileSync(state(`running/${c}`), "");
    /** The plan's backup paths, moved into the test's folder. */
    const local = (s: MigrationStep): MigrationStep => ({
        ...s,
        script: s.script.replaceAll("/var/lib/fabric-kafka/", `${dir}/`),
    });

    it("stops a running broker after a 30 s flush, and a stopped one at once", () => {
        setRunning("kafka1");
        expect(run(step(migrate.steps, "migrate-2-stop-kafka1")).code).toBe(0);
        expect(dockerLog()).toEqual(["sleep 30", "stop kafka1"]);
        expect(run(step(migrate.steps, "migrate-2-stop-kafka1")).code).toBe(0);
        expect(dockerLog()).toEqual(["sleep 30", "stop kafka1", "stop kafka1"]);
    });

    it("backs up each volume of a stopped node from a container of its own image, and refuses a running node", () => {
        const s = local(step(migrate.steps, "migrate-2-backup-zookeeper1"));
        setRunning("zookeeper1");
        const refused = run(s);
        expect(refused.code).not.toBe(0);
        expect(refused.out).toContain("zookeeper1 is running: refusing to back up zookeeper1-data while it changes");
        fs.rmSync(state("running/zookeeper1"));
        const r = run(s);
        expect(r.code, r.out).toBe(0);
        const runs = dockerLog().filter((l) => l.startsWith("run "));
        expect(runs).toHaveLength(2);
        expect(runs[0]).toContain("-v zookeeper1-data:/v:ro");
        expect(runs[0]).toContain("sha256:image-of-zookeeper1");
        expect(runs[1]).toContain("-v zookeeper1-datalog:/v:ro");
        expect(r.out).toContain(`backed up zookeeper1-data to ${dir}/backups/kafka-to-raft/zookeeper1-data.tar.gz`);
    });

    it("restores only from a backup that is there, into a stopped node", () => {
        const s = local(step(abort.steps, "abort-2-restore-kafka2"));
        const missing = run(s);
        expect(missing.code).not.toBe(0);
        expect(missing.out).toContain(`no backup of kafka2-logs at ${dir}/backups/kafka-to-raft/kafka2-logs.tar.gz`);
        fs.mkdirSync(path.join(dir, "backups/kafka-to-raft"), { recursive: true });
        fs.writeFileSync(path.join(dir, "backups/kafka-to-raft/kafka2-logs.tar.gz"), "archive");
        setRunning("kafka2");
        expect(run(s).out).toContain("kafka2 is running: refusing to restore kafka2-logs under it");
        fs.rmSync(state("running/kafka2"));
        const r = run(s);
        expect(r.code, r.out).toBe(0);
        expect(dockerLog().filter((l) => l.startsWith("run "))).toHaveLength(1);
        expect(dockerLog()[0]).toContain("-v kafka2-logs:/v ");
    });

    it("starts a node and waits until it is ready", () => {
        const r = run(step(migrate.steps, "migrate-2-start-orderer1"));
        expect(r.code, r.out).toBe(0);
        expect(dockerLog()).toEqual(["start orderer1.example.com"]);
        expect(r.out).toMatch(/orderer1\.example\.com on host orderer1 ready \(1 checks\): healthz 200/);
    });

    it("removes the backend's containers, and their volumes only when asked", () => {
        expect(run(step(migrate.steps, "migrate-5-remove-zookeeper2")).out).toContain(
            "volumes kept: zookeeper2-data, zookeeper2-datalog",
        );
        expect(dockerLog()).toEqual(["rm zookeeper2"]);
        const drop = orderingPlan(migrationSpec({ removeBackendVolumes: true })).migration!;
        run(step(drop.steps, "migrate-5-remove-zookeeper2"));
        expect(dockerLog()).toEqual([
            "rm zookeeper2",
            "rm zookeeper2",
            "volume rm zookeeper2-data",
            "volume rm zookeeper2-datalog",
        ]);
    });
});
