/**
 * Fabric's Kafka → Raft migration (../shared/reference/kafka-raft-migration.md) as steps of the plan, for a
 * running Kafka network whose config now says `ordering.type: etcdraft` and still holds its Kafka sections.
 *
 *   1. maintenance: each channel, system channel first, to STATE_MAINTENANCE (type unchanged), checked on
 *      every orderer;
 *   2. stop (orderers, then Kafka after a 30 s flush, then ZooKeeper), back up the orderer ledgers and the Kafka
 *      and ZooKeeper volumes on their hosts, restart ZooKeeper, Kafka, orderers;
 *   3. switch: each channel to type etcdraft with the consenter metadata of the Raft genesis block (the same on
 *      every channel), still in maintenance; checked on every orderer;
 *   4. halt orderers, Kafka and ZooKeeper; the orderers come back (replaced by the plan) with the cluster
 *      configuration; a Raft leader confirmed on every channel on every orderer;
 *   5. normal: each channel, system channel first, back to STATE_NORMAL; then peers reconnect and the Kafka
 *      and ZooKeeper containers are removed (their volumes kept unless the config says otherwise).
 *
 * Fabric forbids changing the state and the type in one update, so phases 1, 3 and 5 are separate updates. Every
 * step checks before it acts (a re-run after a failure continues where it stopped), and each phase's steps wait
 * for the whole previous phase. With `migration.abort`, the steps instead restore the backup (only while the
 * system channel is still in maintenance) and bring the network back to Kafka in normal mode.
 *
 * Channel config updates run in an admin container (the tools image, as the orderer org's admin) on the first
 * orderer's host; everything else runs on the host that holds the container it acts on.
 */
import { HostSpec, KafkaMigrationSpec, NetworkSpec, OrdererSpec } from "../../config/spec";
import { extraHostsFor, ordererNames, peerContainer } from "../containers";
import { CONTAINER, GENERATED } from "../layout";
import { VOLUME, allPeers, hostByName, ordererAddress, peerResourceName, primaryOrderer, stepId } from "../names";
import { shq } from "../shell";
import { ordererReadiness, readinessScript } from "../readiness";
import { ContainerSpec, FileCopy, Readiness, Step } from "../types";
import { kafkaContainer, zookeeperContainer } from "./kafka";

/** One step of the migration: where it runs and what it runs there. */
export interface MigrationStep extends Step {
    /** Pulumi resource name, e.g. `migrate-1-maintenance-system-channel` (`abort-...` when aborting): what `pulumi preview` lists. */
    readonly resourceName: string;
    readonly phase: number;
    /** One line for the preview and the README: what the step does, on which channel or host. */
    readonly description: string;
    /** The script, run on `host` over SSH. */
    readonly script: string;
}

export interface BackupFile {
    readonly host: string;
    readonly container: string;
    readonly volume: string;
    readonly file: string;
}

export interface MigrationPlan {
    readonly mode: "migrate" | "abort";
    /** The orderer org's admin CLI, on the first orderer's host. */
    readonly admin: { readonly container: ContainerSpec; readonly step: Step };
    readonly steps: readonly MigrationStep[];
    readonly backups: readonly BackupFile[];
    /** Files the admin CLI needs on its host: the orderer admin's MSP, the orderer TLS CA, the Raft genesis block. */
    readonly files: (host: string) => FileCopy[];
    /** Steps the new orderer containers wait for. */
    readonly ordererAfter: readonly string[];
    /** The steps after which the network is in normal mode and usable again. */
    readonly finalSteps: readonly string[];
    /** Steps ZooKeeper containers wait for (abort: the safety check, so nothing is recreated after a completed migration). */
    readonly backendAfter: readonly string[];
}

export const ADMIN = {
    name: (spec: NetworkSpec) => `admin.${spec.ordererOrg.domain}`,
    workdir: "migration",
    msp: `${CONTAINER.cli.work}/admin/msp`,
    tlsCa: `${CONTAINER.cli.work}/tlsca.pem`,
    genesis: `${CONTAINER.cli.work}/raft-genesis.block`,
} as const;

const BACKUP_DIR = "backups/kafka-to-raft";

/** A container the migration stops, backs up or restarts, with the volumes that hold its state. */
interface Node {
    readonly kind: "orderer" | "kafka" | "zookeeper";
    readonly name: string;
    readonly host: string;
    readonly volumes: readonly string[];
    /** The readiness contract of the node (its container's, for the backend), checked after each start. */
    readonly readiness: Readiness;
}

function nodes(spec: NetworkSpec, m: KafkaMigrationSpec) {
    const orderers: Node[] = spec.orderers.map((o) => ({
        kind: "orderer",
        name: o.fqdn,
        host: o.host,
        volumes: [VOLUME.ordererLedger(o)],
        readiness: ordererReadiness(spec, o.fqdn, o.port, o.operationsPort),
    }));
    const brokers: Node[] = m.from.kafka.brokers.map((b) => ({
        kind: "kafka",
        name: b.name,
        host: b.host,
        volumes: [VOLUME.kafkaLogs(b)],
        readiness: kafkaContainer(spec, m.from, b).readiness!,
    }));
    const zookeepers: Node[] = m.from.zookeepers.map((z) => ({
        kind: "zookeeper",
        name: z.name,
        host: z.host,
        volumes: [VOLUME.zookeeperData(z), VOLUME.zookeeperDatalog(z)],
        readiness: zookeeperContainer(spec, m.from, z).readiness!,
    }));
    return { orderers, brokers, zookeepers, all: [...orderers, ...brokers, ...zookeepers] };
}

export function backupFiles(spec: NetworkSpec, m: KafkaMigrationSpec): BackupFile[] {
    return nodes(spec, m).all.flatMap((n) =>
        n.volumes.map((volume) => ({
            host: n.host,
            container: n.name,
            volume,
            file: `${hostByName(spec, n.host).workdir}/${BACKUP_DIR}/${volume}.tar.gz`,
        })),
    );
}

// ---- scripts run on a host

function stopScript(n: Node, flushFirst: boolean): string {
    return [
        "set -eu",
        // Kafka needs a moment after the last orderer stopped to flush what they wrote (Fabric's guide: ~30 s).
        ...(flushFirst
            ? [`if [ "$(docker inspect -f '{{.State.Running}}' ${shq(n.name)})" = true ]; then sleep 30; fi`]
            : []),
        `docker stop -t 60 ${shq(n.name)} >/dev/null`,
        `echo ${shq(`${n.name} stopped`)}`,
    ].join("\n");
}

function startScript(n: Node): string {
    return [
        "set -eu",
        `docker start ${shq(n.name)} >/dev/null`,
        // The same contract as the node's readiness step (plan/readiness), in a subshell: its exit ends only it.
        `(`,
        readinessScript(n.name, n.host, n.readiness),
        `)`,
    ].join("\n");
}

/** Each volume is archived from a one-off container of its own node's image, never while the node runs. */
function backupScript(files: readonly BackupFile[]): string {
    const dir = files[0]!.file.slice(0, files[0]!.file.lastIndexOf("/"));
    const lines = ["set -eu", "umask 077", `mkdir -p ${shq(dir)}`];
    for (const f of files) {
        const c = shq(f.container);
        const name = f.file.slice(dir.length + 1);
        lines.push(
            `[ "$(docker inspect -f '{{.State.Running}}' ${c})" = false ] || { echo ${shq(`${f.container} is running: refusing to back up ${f.volume} while it changes`)} >&2; exit 1; }`,
            `docker run --rm --pull=never --user 0:0 --entrypoint sh -v ${shq(`${f.volume}:/v:ro`)} -v ${shq(`${dir}:/b`)} "$(docker inspect -f '{{.Config.Image}}' ${c})" -c ${shq(`tar -C /v -czf /b/${name}.part . && mv /b/${name}.part /b/${name}`)}`,
            `echo "backed up ${f.volume} to ${f.file} ($(du -h ${shq(f.file)} | cut -f1))"`,
        );
    }
    return lines.join("\n");
}

/** Empties each volume and unpacks its backup into it; refuses when a backup is missing or the node runs. */
function restoreScript(files: readonly BackupFile[]): string {
    const lines = ["set -eu"];
    for (const f of files) {
        const c = shq(f.container);
        const dir = f.file.slice(0, f.file.lastIndexOf("/"));
        const name = f.file.slice(dir.length + 1);
        lines.push(
            `[ -s ${shq(f.file)} ] || { echo ${shq(`no backup of ${f.volume} at ${f.file}: nothing to restore`)} >&2; exit 1; }`,
            `[ "$(docker inspect -f '{{.State.Running}}' ${c})" = false ] || { echo ${shq(`${f.container} is running: refusing to restore ${f.volume} under it`)} >&2; exit 1; }`,
            `docker run --rm --pull=never --user 0:0 --entrypoint sh -v ${shq(`${f.volume}:/v`)} -v ${shq(`${dir}:/b:ro`)} "$(docker inspect -f '{{.Config.Image}}' ${c})" -c ${shq(`find /v -mindepth 1 -delete && tar -C /v -xzf /b/${name}`)}`,
            `echo ${shq(`restored ${f.volume} from ${f.file}`)}`,
        );
    }
    return lines.join("\n");
}

/**
 * The orderer's log must show a Raft leader for every channel (Fabric's guide: `Raft leader changed: 0 -> N
 * channel=<name>`), before maintenance may end.
 */
function leaderScript(o: OrdererSpec, channels: readonly string[]): string {
    const lines = ["set -eu"];
    for (const ch of channels) {
        lines.push(
            `n=0; until docker logs ${shq(o.fqdn)} 2>&1 | grep 'Raft leader changed: 0 -> [1-9]' | grep -Eq ${shq(`channel=${ch.replace(/\./g, "\\.")}( |$)`)}; do`,
            `  n=$((n+1)); if [ "$n" -ge 90 ]; then echo ${shq(`${o.fqdn}: no Raft leader on ${ch} after 180 s`)} >&2; docker logs --tail 40 ${shq(o.fqdn)} >&2; exit 1; fi; sleep 2`,
            `done`,
            `echo "${o.fqdn}: $(docker logs ${shq(o.fqdn)} 2>&1 | grep 'Raft leader changed: 0 -> [1-9]' | grep -E ${shq(`channel=${ch.replace(/\./g, "\\.")}( |$)`)} | tail -1 | sed 's/.*\\(Raft leader changed\\)/\\1/')"`,
        );
    }
    return lines.join("\n");
}

function removeScript(n: Node, removeVolumes: boolean): string {
    return [
        "set -eu",
        `docker rm -f ${shq(n.name)} >/dev/null 2>&1 || true`,
        `echo ${shq(`${n.name} removed`)}`,
        ...(removeVolumes
            ? n.volumes.flatMap((v) => [
                  `docker volume rm ${shq(v)} >/dev/null 2>&1 || true`,
                  `echo ${shq(`volume ${v} removed`)}`,
              ])
            : [`echo ${shq(`volumes kept: ${n.volumes.join(", ")}`)}`]),
    ].join("\n");
}

function reconnectScript(name: string, host: string, readiness: Readiness): string {
    // Peers back off while the orderers refuse them in maintenance; a restart makes them deliver again at once.
    return [
        "set -eu",
        `docker restart ${shq(name)} >/dev/null`,
        `(`,
        readinessScript(name, host, readiness),
        `)`,
        `echo ${shq(`${name} restarted`)}`,
    ].join("\n");
}

// ---- scripts run in the admin CLI (docker exec), as the orderer org's admin

/** Shell functions of the admin CLI: read a channel's consensus type and state from one orderer, update it. */
function adminLib(spec: NetworkSpec): string {
    const o0 = ordererAddress(primaryOrderer(spec));
    return [
        "set -eu",
        `CA=${shq(ADMIN.tlsCa)}; O0=${shq(o0)}`,
        `retry() { rt_n=0; until "$@"; do rt_n=$((rt_n+1)); [ "$rt_n" -ge 30 ] && return 1; sleep 2; done; }`,
        // The channel config as JSON, from one orderer (admins may still read a channel in maintenance). The
        // functions share the shell's variables, so each keeps its own names.
        `cfg() { cfg_d=$(mktemp -d); if peer channel fetch config "$cfg_d/b.pb" -c "$1" -o "$2" --tls --cafile "$CA" >/dev/null 2>&1; then configtxlator proto_decode --input "$cfg_d/b.pb" --type common.Block | jq '.data.data[0].payload.data.config'; cfg_r=$?; else cfg_r=1; fi; rm -rf "$cfg_d"; return $cfg_r; }`,
        // "<type> <state>", e.g. "kafka STATE_MAINTENANCE".
        `ctype() { ct_c=$(cfg "$1" "$2") || return 1; printf '%s' "$ct_c" | jq -r '.channel_group.groups.Orderer.values.ConsensusType.value | "\\(.type) \\(.state // "STATE_NORMAL")"'; }`,
        // Applies a jq filter (extra jq arguments after it) to the channel config and submits the difference.
        `update() { up_ch=$1; up_f=$2; shift 2; up_d=$(mktemp -d)`,
        `  cfg "$up_ch" "$O0" > "$up_d/config.json" && jq "$@" "$up_f" "$up_d/config.json" > "$up_d/modified.json" &&`,
        `  configtxlator proto_encode --input "$up_d/config.json" --type common.Config --output "$up_d/config.pb" &&`,
        `  configtxlator proto_encode --input "$up_d/modified.json" --type common.Config --output "$up_d/modified.pb" &&`,
        `  configtxlator compute_update --channel_id "$up_ch" --original "$up_d/config.pb" --updated "$up_d/modified.pb" --output "$up_d/update.pb" &&`,
        `  configtxlator proto_decode --input "$up_d/update.pb" --type common.ConfigUpdate > "$up_d/update.json" &&`,
        `  jq -n --arg ch "$up_ch" --slurpfile u "$up_d/update.json" '{payload: {header: {channel_header: {channel_id: $ch, type: 2}}, data: {config_update: $u[0]}}}' > "$up_d/envelope.json" &&`,
        `  configtxlator proto_encode --input "$up_d/envelope.json" --type common.Envelope --output "$up_d/envelope.pb" &&`,
        `  peer channel update -f "$up_d/envelope.pb" -c "$up_ch" -o "$O0" --tls --cafile "$CA"; up_r=$?; rm -rf "$up_d"; return $up_r; }`,
        // Waits until one orderer reports the expected "<type> <state>" for a channel.
        `expect_on() { eo_n=0; until [ "$(ctype "$1" "$2" 2>/dev/null)" = "$3" ]; do eo_n=$((eo_n+1)); if [ "$eo_n" -ge 60 ]; then echo "$2 reports $(ctype "$1" "$2" 2>/dev/null || echo nothing) on $1, expected $3" >&2; return 1; fi; sleep 2; done; echo "$2: $1 is $3"; }`,
    ].join("\n");
}

const STATE = ".channel_group.groups.Orderer.values.ConsensusType.value";

function everyOrderer(spec: NetworkSpec, ch: string, expected: string): string[] {
    return spec.orderers.map((o) => `expect_on ${shq(ch)} ${shq(ordererAddress(o))} ${shq(expected)}`);
}

function maintenanceScript(spec: NetworkSpec, ch: string): string {
    const c = shq(ch);
    return [
        adminLib(spec),
        `s=$(retry ctype ${c} "$O0") || { echo ${shq(`cannot read the config of ${ch} from the orderers`)} >&2; exit 1; }`,
        `case "$s" in`,
        `  "kafka STATE_NORMAL") retry update ${c} ${shq(`${STATE}.state = "STATE_MAINTENANCE"`)}; echo ${shq(`${ch}: maintenance mode requested`)} ;;`,
        `  "kafka STATE_MAINTENANCE"|"etcdraft STATE_MAINTENANCE") echo ${shq(`${ch}: already in maintenance`)} ;;`,
        `  *) echo ${shq(`${ch}: consensus is`)} "$s; expected kafka (the migration starts from a Kafka network)" >&2; exit 1 ;;`,
        `esac`,
        // Checked on every orderer: each must refuse normal transactions before any is stopped.
        `case "$s" in "etcdraft "*) want="etcdraft STATE_MAINTENANCE" ;; *) want="kafka STATE_MAINTENANCE" ;; esac`,
        ...spec.orderers.map((o) => `expect_on ${c} ${shq(ordererAddress(o))} "$want"`),
    ].join("\n");
}

function switchScript(spec: NetworkSpec, ch: string): string {
    const c = shq(ch);
    return [
        adminLib(spec),
        // The consenter metadata of the Raft genesis block (configtxgen's rendering of the Raft configtx.yaml):
        // the same on every channel, as Fabric requires.
        `meta=$(configtxlator proto_decode --input ${shq(ADMIN.genesis)} --type common.Block | jq -c ${shq(`.data.data[0].payload.data.config${STATE}.metadata`)})`,
        `[ -n "$meta" ] && [ "$meta" != null ] || { echo "no Raft consenter metadata in ${ADMIN.genesis}" >&2; exit 1; }`,
        `s=$(retry ctype ${c} "$O0") || { echo ${shq(`cannot read the config of ${ch} from the orderers`)} >&2; exit 1; }`,
        `case "$s" in`,
        `  "kafka STATE_MAINTENANCE") retry update ${c} ${shq(`${STATE} = {type: "etcdraft", metadata: $meta, state: "STATE_MAINTENANCE"}`)} --argjson meta "$meta"; echo ${shq(`${ch}: consensus type set to etcdraft`)} ;;`,
        `  "etcdraft STATE_MAINTENANCE") echo ${shq(`${ch}: already etcdraft`)} ;;`,
        `  *) echo ${shq(`${ch}: consensus is`)} "$s; expected kafka in maintenance (phase 1 puts every channel there)" >&2; exit 1 ;;`,
        `esac`,
        ...everyOrderer(spec, ch, "etcdraft STATE_MAINTENANCE"),
    ].join("\n");
}

function normalScript(spec: NetworkSpec, ch: string, type: "etcdraft" | "kafka", checkAll: boolean): string {
    const c = shq(ch);
    return [
        adminLib(spec),
        `s=$(retry ctype ${c} "$O0") || { echo ${shq(`cannot read the config of ${ch} from the orderers`)} >&2; exit 1; }`,
        `case "$s" in`,
        `  ${shq(`${type} STATE_MAINTENANCE`)}) retry update ${c} ${shq(`${STATE}.state = "STATE_NORMAL"`)}; echo ${shq(`${ch}: normal mode requested`)} ;;`,
        `  ${shq(`${type} STATE_NORMAL`)}) echo ${shq(`${ch}: already in normal mode`)} ;;`,
        `  *) echo ${shq(`${ch}: consensus is`)} "$s; expected ${type} in maintenance" >&2; exit 1 ;;`,
        `esac`,
        // The system channel is checked on every orderer (Fabric's guide); the others on the orderer that took the update.
        ...(checkAll
            ? everyOrderer(spec, ch, `${type} STATE_NORMAL`)
            : [`expect_on ${c} "$O0" ${shq(`${type} STATE_NORMAL`)}`]),
    ].join("\n");
}

function abortCheckScript(spec: NetworkSpec): string {
    const sys = shq(spec.systemChannel);
    return [
        adminLib(spec),
        `s=""; for o in ${spec.orderers.map((o) => shq(ordererAddress(o))).join(" ")}; do s=$(ctype ${sys} "$o" 2>/dev/null) && break; done`,
        `case "$s" in`,
        `  *STATE_MAINTENANCE) echo "the system channel is $s: the backup can be restored" ;;`,
        `  "") echo "no orderer answers for the system channel: restoring the backup" ;;`,
        `  *) echo "the system channel is $s: the migration has left maintenance, and restoring the backup would lose what was ordered since; abort is only possible while the channels are in maintenance. Remove ordering.migration.abort" >&2; exit 1 ;;`,
        `esac`,
    ].join("\n");
}

export function inAdmin(spec: NetworkSpec, script: string): string {
    return `docker exec ${shq(ADMIN.name(spec))} sh -c ${shq(script)}`;
}

export function migrationPlan(spec: NetworkSpec, m: KafkaMigrationSpec): MigrationPlan {
    const { orderers, brokers, zookeepers, all } = nodes(spec, m);
    const adminOrderer = primaryOrderer(spec);
    const adminHost: HostSpec = hostByName(spec, adminOrderer.host);
    const channels = [spec.systemChannel, ...spec.channels.map((c) => c.name)];
    const backups = backupFiles(spec, m);
    const steps: MigrationStep[] = [];
    const adminStep: Step = {
        id: "migrate:admin",
        kind: "migrate-admin",
        host: adminHost.name,
        after: [stepId.deliver(adminHost.name)],
    };
    // Abort steps get names of their own: a step of the migration with the same script (stopping an orderer)
    // already exists in the state, and would not run again.
    const prefix = m.abort ? "abort" : "migrate";
    const add = (s: Omit<MigrationStep, "id" | "script"> & { script: string }) => {
        const resourceName = `${prefix}-${s.resourceName}`;
        // The description heads the script, so `pulumi preview --diff` says what each step does.
        const step = { ...s, resourceName, id: `migrate:${resourceName}`, script: `# ${s.description}\n${s.script}` };
        steps.push(step);
        return step.id;
    };
    const admin = (script: string) => inAdmin(spec, script);
    const hostsOf = (ns: readonly Node[]) => [...new Set(ns.map((n) => n.host))];

    /** One step per node of a tier, each after every step in `after`. */
    const perNode = (
        ns: readonly Node[],
        phase: number,
        kind: Step["kind"],
        verb: string,
        after: readonly string[],
        script: (n: Node) => string,
        what: (n: Node) => string,
    ) =>
        ns.map((n) =>
            add({
                resourceName: `${phase}-${verb}-${n.name.split(".")[0]}`,
                phase,
                kind,
                host: n.host,
                after: [...after],
                script: script(n),
                description: what(n),
            }),
        );
    /** Steps one after the other, one per channel, system channel first. */
    const perChannel = (
        phase: number,
        kind: Step["kind"],
        verb: string,
        after: readonly string[],
        script: (ch: string) => string,
        what: (ch: string) => string,
    ) => {
        let prev = [...after];
        for (const ch of channels) {
            prev = [
                add({
                    resourceName: `${phase}-${verb}-${ch}`,
                    phase,
                    kind,
                    host: adminHost.name,
                    after: prev,
                    script: admin(script(ch)),
                    description: what(ch),
                }),
            ];
        }
        return prev;
    };
    /** A backup (or restore) step per host, covering the volumes of every node on that host. */
    const perHost = (
        phase: number,
        kind: Step["kind"],
        verb: string,
        after: readonly string[],
        script: (fs: BackupFile[]) => string,
    ) =>
        hostsOf(all).map((h) => {
            const fs = backups.filter((b) => b.host === h);
            return add({
                resourceName: `${phase}-${verb}-${h}`,
                phase,
                kind,
                host: h,
                after: [...after],
                script: script(fs),
                description: `${verb} ${fs.map((f) => f.volume).join(", ")} on host ${h} (${fs[0]!.file.slice(0, fs[0]!.file.lastIndexOf("/"))})`,
            });
        });
    /**
     * The ordered stop: the orderers, then the brokers (after Kafka's flush when `flush`), then ZooKeeper, each
     * tier after the whole previous one. Returns every stop step.
     */
    const stopAll = (phase: number, kind: Step["kind"], after: readonly string[], flush: boolean) => {
        const stopO = perNode(
            orderers,
            phase,
            kind,
            "stop",
            after,
            (n) => stopScript(n, false),
            (n) => `stop orderer ${n.name}`,
        );
        const stopK = perNode(
            brokers,
            phase,
            kind,
            "stop",
            stopO,
            (n) => stopScript(n, flush),
            (n) => `stop Kafka broker ${n.name}${flush ? " (after a 30 s flush)" : ""}`,
        );
        const stopZ = perNode(
            zookeepers,
            phase,
            kind,
            "stop",
            stopK,
            (n) => stopScript(n, false),
            (n) => `stop ZooKeeper ${n.name}`,
        );
        return [...stopO, ...stopK, ...stopZ];
    };
    /** After normal mode, each peer restarts so it pulls blocks from the orderers at once. */
    const reconnectPeers = (normal: readonly string[], from: string) =>
        allPeers(spec).map((p) =>
            add({
                resourceName: `5-reconnect-${peerResourceName(spec, p)}`,
                phase: 5,
                kind: "migrate-reconnect",
                host: p.host,
                after: [...normal, stepId.peer(p.fqdn)],
                script: reconnectScript(p.fqdn, p.host, peerContainer(spec, p).readiness!),
                description: `restart peer ${p.fqdn} so it delivers from ${from}`,
            }),
        );
    /**
     * Phase 2's halt and restart, the same for the migration and the abort: the orderers, then the brokers
     * (after Kafka's flush), then ZooKeeper stop; each host then backs up or restores its nodes' volumes; then
     * ZooKeeper and then Kafka start again (the orderers' start differs: the caller adds it).
     */
    const haltAndRestart = (
        after: readonly string[],
        act: { kind: Step["kind"]; verb: string; script: (fs: BackupFile[]) => string },
        startVerb: "start" | "restart",
    ) => {
        const stopped = stopAll(2, "migrate-stop", after, true);
        const acted = perHost(2, act.kind, act.verb, stopped, act.script);
        const startZ = perNode(
            zookeepers,
            2,
            "migrate-restart",
            "start",
            acted,
            startScript,
            (n) => `${startVerb} ZooKeeper ${n.name}`,
        );
        const startK = perNode(
            brokers,
            2,
            "migrate-restart",
            "start",
            startZ,
            startScript,
            (n) => `${startVerb} Kafka broker ${n.name}`,
        );
        return startK;
    };

    if (m.abort) {
        const check = add({
            resourceName: "0-check",
            phase: 0,
            kind: "migrate-check",
            host: adminHost.name,
            after: [adminStep.id],
            script: admin(abortCheckScript(spec)),
            description: "check that the system channel is still in maintenance (else abort is refused)",
        });
        const startK = haltAndRestart(
            [check],
            { kind: "migrate-restore", verb: "restore", script: restoreScript },
            "start",
        );
        const resume = spec.orderers.map((o, i) =>
            add({
                resourceName: `2-resume-${o.name}`,
                phase: 2,
                kind: "migrate-resume",
                host: o.host,
                after: [stepId.orderer(o.fqdn)],
                script: startScript(orderers[i]!),
                description: `start orderer ${o.fqdn} on Kafka, in maintenance`,
            }),
        );
        const normal = perChannel(
            5,
            "migrate-normal",
            "normal",
            resume,
            (ch) => normalScript(spec, ch, "kafka", ch === spec.systemChannel),
            (ch) => `${ch}: back to STATE_NORMAL on Kafka`,
        );
        const reconnect = reconnectPeers(normal, "the orderers again");
        return {
            mode: "abort",
            admin: { container: adminContainer(spec, adminHost), step: adminStep },
            steps,
            backups,
            files: (host) => adminFiles(spec, host, adminHost.name, false),
            ordererAfter: startK,
            finalSteps: reconnect,
            backendAfter: [check],
        };
    }

    const maintenance = perChannel(
        1,
        "migrate-maintenance",
        "maintenance",
        [adminStep.id],
        (ch) => maintenanceScript(spec, ch),
        (ch) =>
            `${ch}: STATE_MAINTENANCE${ch === spec.systemChannel ? " (system channel first)" : ""}, checked on every orderer`,
    );
    const startK = haltAndRestart(
        maintenance,
        { kind: "migrate-backup", verb: "backup", script: backupScript },
        "restart",
    );
    const startO = perNode(
        orderers,
        2,
        "migrate-restart",
        "start",
        startK,
        startScript,
        (n) => `restart orderer ${n.name} (Kafka, in maintenance)`,
    );
    const switched = perChannel(
        3,
        "migrate-switch",
        "switch",
        startO,
        (ch) => switchScript(spec, ch),
        (ch) => `${ch}: consensus type etcdraft with the consenter metadata, still in maintenance`,
    );
    const halted = stopAll(4, "migrate-halt", switched, false);
    const leaders = spec.orderers.map((o) =>
        add({
            resourceName: `4-leader-${o.name}`,
            phase: 4,
            kind: "migrate-leader",
            host: o.host,
            // A leader needs a majority of consenters running: look once every orderer has been restarted.
            after: spec.orderers.map((x) => stepId.orderer(x.fqdn)),
            script: leaderScript(o, channels),
            description: `orderer ${o.fqdn} restarted with the cluster configuration: a Raft leader on ${channels.join(", ")}`,
        }),
    );
    const normal = perChannel(
        5,
        "migrate-normal",
        "normal",
        leaders,
        (ch) => normalScript(spec, ch, "etcdraft", ch === spec.systemChannel),
        (ch) =>
            `${ch}: STATE_NORMAL${ch === spec.systemChannel ? " (system channel first), checked on every orderer" : ""}`,
    );
    const reconnect = reconnectPeers(normal, "the Raft orderers at once");
    const remove = perNode(
        [...brokers, ...zookeepers],
        5,
        "migrate-remove",
        "remove",
        normal,
        (n) => removeScript(n, m.removeBackendVolumes),
        (n) => `remove ${n.name} (volumes ${m.removeBackendVolumes ? "deleted" : "kept"})`,
    );
    return {
        mode: "migrate",
        admin: { container: adminContainer(spec, adminHost), step: adminStep },
        steps,
        backups,
        files: (host) => adminFiles(spec, host, adminHost.name, true),
        ordererAfter: halted,
        finalSteps: [...reconnect, ...remove],
        backendAfter: [],
    };
}

/** The orderer org admin's CLI: the tools image, the admin MSP and the orderer TLS CA, beside the first orderer. */
function adminContainer(spec: NetworkSpec, host: HostSpec): ContainerSpec {
    const name = ADMIN.name(spec);
    return {
        name,
        resourceName: "orderer-admin",
        role: "cli",
        host: host.name,
        image: "tools",
        hostname: name,
        env: {
            FABRIC_LOGGING_SPEC: "WARNING",
            CORE_PEER_LOCALMSPID: spec.ordererOrg.mspId,
            CORE_PEER_MSPCONFIGPATH: ADMIN.msp,
            CORE_PEER_TLS_ENABLED: "true",
            CORE_PEER_TLS_ROOTCERT_FILE: ADMIN.tlsCa,
        },
        command: ["sleep", "infinity"],
        ports: [],
        volumes: [],
        binds: [{ hostPath: `${host.workdir}/${ADMIN.workdir}`, containerPath: CONTAINER.cli.work, readOnly: false }],
        extraHosts: extraHostsFor(spec, host.name, ordererNames(spec)),
        aliases: [name],
        restart: "unless-stopped",
        readiness: null,
    };
}

function adminFiles(spec: NetworkSpec, host: string, adminHost: string, raftGenesis: boolean): FileCopy[] {
    if (host !== adminHost) return [];
    const d = spec.ordererOrg.domain;
    return [
        { from: `${GENERATED.ordererOrg(spec)}/users/Admin@${d}/msp`, to: `${ADMIN.workdir}/admin/msp` },
        { from: GENERATED.ordererTlsCa(spec), to: `${ADMIN.workdir}/tlsca.pem` },
        // The genesis block configtxgen made from the Raft configtx.yaml: it carries the consenter metadata.
        ...(raftGenesis ? [{ from: GENERATED.genesis, to: `${ADMIN.workdir}/raft-genesis.block` }] : []),
    ];
}
