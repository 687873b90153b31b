/**
 * Moving a broker (`movedFrom`): the plan gives the moved broker, and only it, a carry from its old host; the
 * carry script, run against stand-in `ssh` and `docker` that keep each host's containers and volumes in a
 * directory, stops the broker on the old host, moves its data byte for byte, carries nothing when the data is
 * already there, and fails naming the broker and the host when the old host has nothing to carry.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec, validateConfig } from "../../config";
import { CARRY_STOP_SECONDS, carryScript, ordererCarry, orderingNodes } from "../../plan";
import { SECRET, clone, kafkaOf, rawStackConfig, withTestCredentials } from "../support/stacks";

function movedSpec(): NetworkSpec {
    const raw = clone(rawStackConfig("dev")) as Record<string, any>;
    raw.hosts.push({ name: "spare", address: "203.0.113.40", user: "fabric" });
    raw.ordering.kafka.brokers[3] = { host: "spare", movedFrom: "kafka4" };
    return validateConfig(withTestCredentials(raw), SECRET);
}

/** ssh: runs the remote script with HOST set to the address it was sent to (every option before `--` ignored). */
const FAKE_SSH = `#!/bin/sh
while [ "$1" != "--" ]; do shift; done
HOST=$2 exec sh -c "$3"
`;

/**
 * docker: per host, containers/<name> lists its mounts (volume:path per line), stopped/<name> marks a stopped
 * one, volumes/<vol>/ holds a volume's files. `cp` and `run … tar` stream real tar archives, as Docker does.
 */
const FAKE_DOCKER = `#!/bin/sh
set -eu
h="$STATE/$HOST"; mkdir -p "$h/containers" "$h/volumes" "$h/stopped"
echo "$HOST docker $*" >> "$STATE/log"
mounts_of() { cat "$h/containers/$1"; }
resolve() { # container:path -> the volume directory and the rest of the path
  c=\${1%%:*}; p=\${1#*:}
  [ -f "$h/containers/$c" ] || { echo "No such container: $c" >&2; exit 1; }
  for m in $(mounts_of "$c"); do v=\${m%%:*}; mp=\${m#*:}
    case $p in "$mp"|"$mp"/*) echo "$h/volumes/$v\${p#"$mp"}"; return 0;; esac
  done; echo "no mount for $p" >&2; exit 1; }
cmd=$1; shift
case $cmd in
  inspect) [ -f "$h/containers/$1" ] ;;
  stop) shift 2; [ -f "$h/containers/$1" ] && touch "$h/stopped/$1" ;;
  rm) shift; rm -f "$h/containers/$1" "$h/stopped/$1" ;;
  create) name=$2; shift 2; : > "$h/containers/$name"
    while [ "$1" = "-v" ]; do echo "$2" >> "$h/containers/$name"; mkdir -p "$h/volumes/\${2%%:*}"; shift 2; done ;;
  cp) f=$(resolve "$1"); [ -e "$f" ] || { echo "Could not find the file" >&2; exit 1; }
    pb=$(basename "\${1#*:}"); tar -C "$(dirname "$f")" --transform "s,^$(basename "$f"),$pb," -cf - "$(basename "$f")" ;;
  run) mounts=""; while [ "$1" != "--entrypoint" ]; do shift; done; shift 2
    while [ "$1" = "-v" ]; do mounts="$mounts $2"; shift 2; done; shift
    [ "$1 $2 $3 $4 $5" = "-x -p -f - -C" ] || { echo "unexpected tar $*" >&2; exit 1; }
    t=$(mktemp -d); tar -C "$t" -xf -
    for m in $mounts; do v=\${m%%:*}; mp=\${m#*:}; mkdir -p "$h/volumes/$v"
      [ "$(dirname "$mp")" = "$6" ] && cp -R "$t/$(basename "$mp")/." "$h/volumes/$v/"; done; rm -rf "$t" ;;
  *) echo "fake docker: $cmd" >&2; exit 1 ;;
esac
`;

const OLD = "192.0.2.24";
const NEW = "203.0.113.40";

describe("moving a broker: the plan", () => {
    let spec: NetworkSpec;
    beforeEach(() => {
        spec = movedSpec();
    });

    it("keeps the broker's name, id and port, on its new host, and remembers the old one", () => {
        expect(kafkaOf(spec).kafka.brokers[3]).toEqual({
            id: 4,
            name: "kafka4",
            host: "spare",
            port: 9092,
            movedFrom: "kafka4",
        });
        // The old host is still needed (the carry reads from it): no "runs no role" warning.
        expect(spec.warnings).toEqual([]);
    });

    it("gives the moved broker, and no other node, a carry from its old host", () => {
        const carries = orderingNodes(spec).filter((n) => n.carry);
        expect(carries.map((n) => [n.container.name, n.container.host, n.carry])).toEqual([
            ["kafka4", "spare", { from: "kafka4", marker: "meta.properties" }],
        ]);
    });
});

describe("moving an orderer", () => {
    it("carries its ledger volume, which holds chains once it has run; an orderer that stays carries nothing", () => {
        const raw = clone(rawStackConfig("dev")) as Record<string, any>;
        raw.hosts.push({ name: "spare", address: "203.0.113.41", user: "fabric" });
        raw.ordering.orderers[2] = {
            ...raw.ordering.orderers[2],
            host: "spare",
            movedFrom: raw.ordering.orderers[2].host,
        };
        const spec = validateConfig(withTestCredentials(raw), SECRET);
        expect(spec.orderers.map(ordererCarry)).toEqual([undefined, undefined, { from: "orderer2", marker: "chains" }]);
        expect(spec.warnings).toEqual([]);
    });
});

describe("moving a broker: the carry script, against stand-in ssh and docker", () => {
    let spec: NetworkSpec;
    let dir: string;
    let state: string;
    let script: string;

    beforeEach(() => {
        spec = movedSpec();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-carry-"));
        state = path.join(dir, "state");
        fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
        fs.writeFileSync(path.join(dir, "bin/ssh"), FAKE_SSH, { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "bin/docker"), FAKE_DOCKER, { mode: 0o755 });
        const host = (n: string) => spec.hosts.find((h) => h.name === n)!;
        script = carryScript(
            spec,
            orderingNodes(spec).find((n) => n.container.name === "kafka4")!.container,
            { host: host("kafka4"), keyFile: "/keys/kafka4.key" },
            { host: host("spare"), keyFile: "/keys/spare.key" },
            "meta.properties",
        );
    });

    const run = () =>
        spawnSync("sh", ["-c", script], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}`, STATE: state },
        });
    const volume = (addr: string) => path.join(state, addr, "volumes", "kafka4-logs");
    /** The old broker: a container mounting its log volume, with data written by "Kafka". */
    const oldBroker = () => {
        fs.mkdirSync(path.join(state, OLD, "containers"), { recursive: true });
        fs.writeFileSync(path.join(state, OLD, "containers", "kafka4"), "kafka4-logs:/var/lib/kafka/data\n");
        fs.mkdirSync(path.join(volume(OLD), "mychannel-0"), { recursive: true });
        fs.writeFileSync(path.join(volume(OLD), "meta.properties"), "broker.id=4\n");
        fs.writeFileSync(path.join(volume(OLD), "mychannel-0", "00000000000000000000.log"), "records");
    };
    const log = () => fs.readFileSync(path.join(state, "log"), "utf8");

    it("stops the broker on the old host, then carries its whole log volume to the new host", () => {
        oldBroker();
        const r = run();
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(
            "kafka4: stopping it on kafka4 (up to 120 s), then carrying its data to spare\n" +
                "kafka4: data carried from kafka4 to spare (kafka4-logs); the old volume stays on kafka4\n",
        );
        expect(fs.existsSync(path.join(state, OLD, "stopped", "kafka4"))).toBe(true);
        expect(log()).toContain(`${OLD} docker stop -t ${CARRY_STOP_SECONDS} kafka4`);
        expect(execFileSync("diff", ["-r", volume(OLD), volume(NEW)], { encoding: "utf8" })).toBe("");
        // The stop comes before the first read of the data, and no helper container is left on either host.
        const lines = log().split("\n");
        const stop = lines.findIndex((l) => l.startsWith(`${OLD} docker stop`));
        const read = lines.findIndex((l) => l === `${OLD} docker cp kafka4:/var/lib/kafka/data -`);
        expect(stop).toBeGreaterThanOrEqual(0);
        expect(read).toBeGreaterThan(stop);
        for (const a of [OLD, NEW])
            expect(fs.readdirSync(path.join(state, a, "containers"))).not.toContain("kafka4-carry");
        // The old volume stays where it was.
        expect(fs.readFileSync(path.join(volume(OLD), "meta.properties"), "utf8")).toBe("broker.id=4\n");
    });

    it("carries nothing, and stops nothing, when the new host already has the broker's data", () => {
        oldBroker();
        fs.mkdirSync(volume(NEW), { recursive: true });
        fs.writeFileSync(path.join(volume(NEW), "meta.properties"), "broker.id=4\n");
        const r = run();
        expect(r.status).toBe(0);
        expect(r.stdout).toBe("kafka4: its data is already on spare: nothing to carry\n");
        expect(log()).not.toContain(`${OLD} docker`);
        expect(fs.existsSync(path.join(volume(NEW), "mychannel-0"))).toBe(false);
    });

    it("reads the volume through a helper container when the old broker's container is gone", () => {
        oldBroker();
        fs.rmSync(path.join(state, OLD, "containers", "kafka4"));
        const r = run();
        expect(r.status).toBe(0);
        expect(log()).toContain(`${OLD} docker cp kafka4-carry:/var/lib/kafka/data -`);
        expect(fs.readFileSync(path.join(volume(NEW), "mychannel-0", "00000000000000000000.log"), "utf8")).toBe(
            "records",
        );
    });

    it("fails, naming the broker and the new host, and leaves no helper container, when writing there fails", () => {
        oldBroker();
        // The new host's engine refuses to run the unpacking container.
        const docker = path.join(dir, "bin/docker");
        fs.writeFileSync(
            docker,
            fs
                .readFileSync(docker, "utf8")
                .replace("  run) ", `  run) [ "$HOST" = ${NEW} ] && { echo "no space left" >&2; exit 1; }; `),
        );
        const r = run();
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("kafka4: writing its data on spare failed");
        for (const a of [OLD, NEW])
            expect(fs.readdirSync(path.join(state, a, "containers"))).not.toContain("kafka4-carry");
    });

    it("fails, naming the broker and the old host, when the old host has no data to carry", () => {
        const r = run();
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(
            "kafka4: cannot carry its data: kafka4 has neither its container nor its volume kafka4-logs holding meta.properties (already moved, or movedFrom names the wrong host?)",
        );
        for (const a of [OLD, NEW]) expect(fs.readdirSync(path.join(state, a, "containers"))).toEqual([]);
    });
});
