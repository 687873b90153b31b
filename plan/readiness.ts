/**
 * Readiness, owned by the plan: for each role, what "ready" means, the check that decides it, how often the
 * check runs and for how long, all here. The components run each contract as a step after its container (a
 * command on the container's host that polls the check), and the next tier waits for that step, not for the
 * container.
 *
 * Why a step and not Docker's own health check with the provider's `wait`: with the upstream docker provider a
 * container whose wait failed stays in the state and the next `up` plans an update that checks nothing, so the
 * next tier starts against an unhealthy node; and a changed health check never reaches the container
 * (../shared/reference/real-docker-provider.md, D5 and D6). A failed step is not recorded, so the next `up`
 * runs it again; a changed check changes the step, so it runs again; a replaced container has a new id, which
 * is one of the step's triggers.
 *
 Why the checks run on the host: inside the container they may use only what the official images contain
 * (ZooKeeper, orderer and peer: bash, whose /dev/tcp is the only network client the Ubuntu-based Fabric 2.5
 * images have; Kafka: cat; CouchDB: curl), never a script baked into an image of ours. What an image cannot tell cheaply from inside, its log can: `docker logs --since
 * <this start>` sees only the current run of the container, so an earlier run can never look ready. The host
 * needs sh, awk, grep, sed, sort, date, sleep and the docker CLI.
 */
import { NetworkSpec } from "../config/spec";
import { shq } from "./shell";
import { Readiness } from "./types";

/**
 * Time between two checks: readiness is noticed at most this long (plus one check) after it happens. A check
 * costs one `docker inspect`, at most one `docker logs` and one `docker exec`; Kafka's and the orderer's reach
 * their exec only once their log says the node started, so polling this often stays cheap.
 */
export const READY_POLL_MS = 250;

function contract(spec: NetworkSpec, means: string, check: string[]): Readiness {
    return {
        means,
        check: check.join("\n"),
        intervalMs: READY_POLL_MS,
        timeoutSeconds: spec.readyTimeoutSeconds,
    };
}

/**
 * Fails unless the container runs; otherwise leaves its start time in `$since` (RFC 3339, the engine's clock,
 * the same clock that stamps its log lines).
 */
function running(ctr: string): string[] {
    return [
        `st=$(docker inspect -f '{{.State.Status}} {{.State.StartedAt}}' ${shq(ctr)} 2>&1) || { printf '%s\\n' "$st" | tail -n 1; return 1; }`,
        `case $st in running\\ *) since=\${st#running } ;; *) echo "container is \${st%% *}"; return 1 ;; esac`,
    ];
}

/**
 * The lines of this run's log (stdout and stderr) that match the extended regular expression `ere`. None is an
 * answer, not a failure: a step that runs the check under `set -e` (the migration's) would otherwise end it there.
 */
function logLines(ctr: string, ere: string): string {
    return `lines=$(docker logs --since "$since" ${shq(ctr)} 2>&1 | grep -E ${shq(ere)} || true)`;
}

/**
 * `GET /healthz` on the operations port, inside the container, as HTTP/1.0 over bash's /dev/tcp: the official
 * Fabric 2.5 images (Ubuntu) have bash but no curl, wget or nc. Ready only on status 200.
 */
function healthz(ctr: string, port: number): string[] {
    const get =
        'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET /healthz HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" >&3 && IFS= read -r -t 4 status <&3 && printf "%s\\n" "$status"';
    return [
        `out=$(docker exec ${shq(ctr)} bash -c ${shq(get)} ${port} 2>&1)`,
        `case $out in HTTP/*' 200'*) ;; *) echo "healthz: $(printf '%s\\n' "$out" | head -n 1 | tr -d '\\r')"; return 1 ;; esac`,
    ];
}

/**
 * ZooKeeper: serving requests as leader, follower or standalone, as its `srvr` four-letter word (whitelisted by
 * default in the official image) says on the plaintext client port. Asked over bash's /dev/tcp inside the
 * container (the port may be bound to loopback only, and bash is in every ZooKeeper image the program meets).
 */
export function zookeeperReadiness(spec: NetworkSpec, ctr: string, plaintextClientPort: number): Readiness {
    const srvr =
        'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf srvr >&3 && while IFS= read -r -t 3 l <&3; do printf "%s\\n" "$l"; done';
    return contract(spec, "serving requests as leader, follower or standalone (srvr)", [
        ...running(ctr),
        `out=$(docker exec ${shq(ctr)} bash -c ${shq(srvr)} ${plaintextClientPort} 2>&1)`,
        `mode=$(printf '%s\\n' "$out" | grep -E '^Mode: (leader|follower|standalone)$')`,
        `[ -n "$mode" ] || { echo "not serving: $(printf '%s\\n' "$out" | head -n 1)"; return 1; }`,
        `echo "$mode"`,
    ]);
}

/**
 * True when something in the container listens on TCP `port`: the container's own /proc/net/tcp{,6} (read
 * with `cat`, which every image has) parsed on the host. Not `nc -z`: BusyBox builds without NC_110_COMPAT
 * (Debian's, for one) have no `-z`, and a plain `nc` waits for the server to hang up.
 */
function listening(ctr: string, port: number): string {
    const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
    const awk = `$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }`;
    return `docker exec ${shq(ctr)} cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=${hex} ${shq(awk)} || { echo ${shq(`port ${port} is not listening`)}; return 1; }`;
}

/**
 * Kafka broker: in this run it registered in ZooKeeper and finished starting (its log says so, and no later
 * line says it is shutting down), and its listener is open.
 */
export function kafkaReadiness(spec: NetworkSpec, ctr: string, port: number): Readiness {
    return contract(spec, "registered in ZooKeeper, started, listener open", [
        ...running(ctr),
        logLines(
            ctr,
            "Registered broker [0-9]+ at path /brokers/ids/|\\[KafkaServer id=[0-9]+\\] (started|shutting down|shut down completed|Starting controlled shutdown)",
        ),
        `printf '%s\\n' "$lines" | grep -q 'Registered broker' || { echo 'not registered in ZooKeeper yet'; return 1; }`,
        `last=$(printf '%s\\n' "$lines" | grep -v 'Registered broker' | tail -n 1)`,
        `case $last in *'] started'*) ;; '') echo 'registered, not started yet'; return 1 ;; *) echo 'shutting down'; return 1 ;; esac`,
        listening(ctr, port),
        `printf '%s\\n' "$lines" | grep -o 'Registered broker [0-9]*' | tail -n 1`,
    ]);
}

/**
 * The gRPC server on `port` answers: a connection gets bytes back, or is closed, within 2 s. Fabric opens the
 * orderer's listener before it starts its chains and serves only after, so meanwhile the socket accepts a
 * connection and nothing reads it. Sent is HTTP/2's client preface: a plaintext gRPC server answers with its
 * SETTINGS frame, a TLS one closes the connection on a first record that is not a handshake. Over bash's /dev/tcp,
 * as for /healthz. This replaces the orderer's "Beginning to serve requests", which its logger no longer prints
 * (plan/orderer.ts, ORDERER_LOGGING).
 *
 * bash's printf writes the preface line by line, and a TLS orderer resets the connection once it has read the
 * first line: a later write that meets the reset raises SIGPIPE, which would end the probe without a word (seen
 * under load). SIGPIPE is ignored, so such a write fails quietly and the read sees the reset: served.
 */
function serving(ctr: string, port: number): string {
    const probe =
        "trap '' PIPE; " +
        'exec 3<>"/dev/tcp/127.0.0.1/$0" 2>/dev/null || { echo closed; exit 0; }; ' +
        'printf "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" >&3 2>/dev/null; ' +
        "IFS= read -r -t 2 -n 1 b <&3; [ $? -le 128 ] && echo serving || echo silent";
    return [
        // Not 2>&1: a warning bash prints as it starts (a locale it lacks) must not change the answer.
        `probe=$(docker exec ${shq(ctr)} bash -c ${shq(probe)} ${port} 2>/dev/null); rc=$?`,
        `case $probe in`,
        `  serving) ;;`,
        `  silent) echo ${shq(`port ${port} accepts connections, not served yet`)}; return 1 ;;`,
        `  closed) echo ${shq(`port ${port} is not open`)}; return 1 ;;`,
        `  *) echo "probe of port ${port} failed (docker exec status $rc)"; return 1 ;;`,
        `esac`,
    ].join("\n");
}

/**
 * Orderer: its gRPC port serves, every Kafka chain it started in this run is through its start phase, then
 * `/healthz` answers 200. Fabric starts every chain of the orderer's ledger before it serves, so once it serves,
 * the chains' "Starting chain" lines are all in its log: the chains are read again after the probe. They are
 * read before it too, so that the probe, which a TLS orderer logs as a failed handshake from 127.0.0.1, runs once
 * the chains are through and not on every poll. The operations endpoint is asked only after the chains have
 * started: Fabric's Kafka chain registers its health check before its producer exists, and a `/healthz` in that
 * window makes the orderer crash (docs/toolchain.md). With another consensus no chain line appears and
 * `/healthz` decides.
 */
export function ordererReadiness(spec: NetworkSpec, ctr: string, port: number, operationsPort: number): Readiness {
    const chainsStarted = [
        logLines(ctr, "Starting chain with last persisted offset|Start phase completed successfully"),
        `pending=`,
        `for ch in $(printf '%s\\n' "$lines" | sed -n 's/.*\\[channel: \\([^]]*\\)\\] Starting chain with last persisted offset.*/\\1/p' | sort -u); do`,
        `  printf '%s\\n' "$lines" | grep -Fq "[channel: $ch] Start phase completed successfully" || pending="$pending $ch"`,
        `done`,
        `[ -z "$pending" ] || { echo "Kafka start phase not complete for channel(s):$pending"; return 1; }`,
    ];
    return contract(spec, "serving, its Kafka chains started, /healthz 200", [
        ...running(ctr),
        ...chainsStarted,
        serving(ctr, port),
        ...chainsStarted,
        ...healthz(ctr, operationsPort),
        `echo 'healthz 200'`,
    ]);
}

/** Peer: its operations endpoint answers `/healthz` with 200 (with CouchDB, that includes the database). */
export function peerReadiness(spec: NetworkSpec, ctr: string, operationsPort: number): Readiness {
    return contract(spec, "/healthz 200", [...running(ctr), ...healthz(ctr, operationsPort), `echo 'healthz 200'`]);
}

/**
 * CouchDB: answers an authenticated admin request (`_all_dbs` is admin-only). The credentials are read from the
 * container's own environment inside it, so they never appear in the step.
 */
export function couchdbReadiness(spec: NetworkSpec, ctr: string, port: number): Readiness {
    const get = `curl -fsS --max-time 4 -o /dev/null -u "$COUCHDB_USER:$COUCHDB_PASSWORD" "http://127.0.0.1:$0/_all_dbs"`;
    return contract(spec, "answers an authenticated _all_dbs", [
        ...running(ctr),
        `out=$(docker exec ${shq(ctr)} sh -c ${shq(get)} ${port} 2>&1) || { echo "_all_dbs: $(printf '%s\\n' "$out" | tail -n 1)"; return 1; }`,
        `echo '_all_dbs answered'`,
    ]);
}

/**
 * Chaincode server: its peer can open a connection to it, asked from inside the peer over bash's /dev/tcp (within
 * `timeout`, from coreutils, as the peer image has), so nothing is assumed about what the chaincode image contains
 * (it may have no shell at all). Before this, a peer's first call to the chaincode (the init step's guard query)
 * could fail for a reason that has nothing to do with the ledger.
 */
export function chaincodeReadiness(spec: NetworkSpec, ctr: string, peerCtr: string, port: number): Readiness {
    const connect = 'exec 3<>"/dev/tcp/$0/$1"';
    return contract(spec, `accepts connections from its peer on port ${port}`, [
        ...running(ctr),
        `docker exec ${shq(peerCtr)} timeout 3 bash -c ${shq(connect)} ${shq(ctr)} ${port} >/dev/null 2>&1 || { echo ${shq(`${peerCtr} cannot connect to ${ctr}:${port} yet`)}; return 1; }`,
        `echo ${shq(`${peerCtr} connects to ${ctr}:${port}`)}`,
    ]);
}

/**
 * The step that waits for one container: runs the check every `intervalMs` until it passes, and fails after
 * `timeoutSeconds` with a message naming the node, its host and what the last check said. Prints a line each
 * time the reason changes, so a slow node shows why in the `up` output.
 */
export function readinessScript(node: string, host: string, r: Readiness): string {
    const sleep = (r.intervalMs / 1000).toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
    return [
        `# Readiness of ${node.replace(/[^A-Za-z0-9._-]/g, "?")}: ${r.means}`,
        `node=${shq(node)} host=${shq(host)} timeout=${r.timeoutSeconds}`,
        `ready_check() {`,
        ...r.check.split("\n").map((l) => `  ${l}`),
        `}`,
        // Whole seconds: one more, so the step never gives up before `timeout` seconds have passed.
        `deadline=$(( $(date +%s) + timeout + 1 ))`,
        `checks=0 said=`,
        `while :; do`,
        `  checks=$((checks + 1))`,
        // `set +e`: a step that runs this under `set -e` (the migration's) would otherwise end the check at its
        // first failing command (dash applies -e inside the substitution), losing what the check says.
        `  if out=$(set +e; ready_check 2>&1); then`,
        `    echo "$node on host $host ready ($checks checks): $(printf '%s\\n' "$out" | tail -n 1)"`,
        `    exit 0`,
        `  fi`,
        `  out=$(printf '%s\\n' "$out" | tail -n 1)`,
        `  if [ "$(date +%s)" -ge "$deadline" ]; then`,
        `    echo "$node on host $host not ready after $timeout s ($checks checks); last check: $out" >&2`,
        `    exit 1`,
        `  fi`,
        `  [ "$out" = "$said" ] || { echo "$node: not ready yet: $out"; said=$out; }`,
        // Sub-second sleeps are in GNU coreutils and BusyBox; a shell without them still polls, once a second.
        `  sleep ${sleep} 2>/dev/null || sleep 1`,
        `done`,
    ].join("\n");
}
