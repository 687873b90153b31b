/**
 * Carrying a node's data to its new host when the stack moves it (today: a Kafka broker, `movedFrom`). A broker
 * that started empty under its old id would still be listed by ZooKeeper among the in-sync replicas of its
 * partitions, and Kafka could elect it leader and truncate the others to its empty log. So before the node
 * starts on its new host, the carry stops it on the old one and streams its stateful volumes across, and the
 * node resumes from its own data as after a restart.
 *
 * The script runs on the operator's machine: it is the only place holding both hosts' logins, and no host gets
 * a key to another. Each end is reached as its steps are (ssh with the host's key file, or the local engine).
 * The stream is `docker cp` out of the old (stopped) container, unpacked on the new host by the node's own image
 * (`tar`, as root, owners kept) into the same volumes; a created, never started container holding the volumes
 * answers whether the data is there.
 */
import { HostSpec, NetworkSpec } from "../config/spec";
import { shq, sshCommand } from "./shell";
import { ContainerSpec } from "./types";

/** A moved node's carry: the host it ran on, and a file or directory its data holds once it has run. */
export interface Carry {
    readonly from: string;
    readonly marker: string;
}

/** One end of a carry: the host, and the key file its SSH login uses (absent for the local host). */
export interface CarryEnd {
    readonly host: HostSpec;
    readonly keyFile?: string;
}

/** How long the old node gets to stop on its own (Kafka's controlled shutdown moves its leaderships away). */
export const CARRY_STOP_SECONDS = 120;

/** The command line, on the operator's machine, that runs `script` on one end. */
function onEnd(end: CarryEnd, ssh: NetworkSpec["ssh"], script: string): string {
    if (end.host.kind === "local") return `sh -c ${shq(script)}`;
    if (!end.keyFile) throw new Error(`internal: host ${end.host.name} has no key file for a carry`);
    return sshCommand(end.host, ssh, end.keyFile, script, ["-o", "ConnectTimeout=10"]);
}

const parentDir = (p: string) => p.replace(/\/[^/]+\/?$/, "") || "/";

/**
 * The carry of container `c` (on its new host `to.host`) from `from.host`. Idempotent: when the new host's
 * volume already holds the node's data (`marker`, a file the node writes into its first stateful volume), it
 * says so and carries nothing, so a re-run after an interrupted `up` never copies over a running node's data.
 * Fails, naming the node and both hosts, when the old host has neither the node's container nor its data.
 */
export function carryScript(spec: NetworkSpec, c: ContainerSpec, from: CarryEnd, to: CarryEnd, marker: string): string {
    const stateful = c.volumes.filter((v) => v.stateful);
    const first = stateful[0];
    if (!first) throw new Error(`internal: ${c.name} has no stateful volume to carry`);
    const image = spec.images[c.image].ref;
    const tmp = `${c.name}-carry`;
    const mounts = stateful.flatMap((v) => ["-v", `${v.volume}:${v.containerPath}`]);
    const create = `docker create --name ${shq(tmp)} ${mounts.map(shq).join(" ")} ${shq(image)} >/dev/null`;
    const cleanup = `docker rm -f ${shq(tmp)} >/dev/null 2>&1 || true`;
    const markerPath = `${first.containerPath}/${marker}`;
    const has = (ctr: string) => `docker cp ${ctr}:${shq(markerPath)} - >/dev/null 2>&1`;
    // On the old host the data is read from the node's own container while it exists (stopped), else from a
    // created container holding its volumes; both ends of the old host's work pick the source the same way.
    const pickSource = `if docker inspect ${shq(c.name)} >/dev/null 2>&1; then src=${shq(c.name)}; else src=${shq(tmp)}; fi`;
    const who = `${c.name}: `;
    const fromName = from.host.name;
    const toName = to.host.name;
    const on = (end: CarryEnd, script: string) => onEnd(end, spec.ssh, script);

    // New host: a created container holding the volumes (creating them if needed); is the data already there?
    const prepare = [cleanup, create, `if ${has(shq(tmp))}; then echo present; else echo empty; fi`].join("\n");
    // Old host: stop the node (a no-op when stopped already), or hold its volumes in a created container.
    const stop = [
        `if docker inspect ${shq(c.name)} >/dev/null 2>&1; then`,
        `  docker stop -t ${CARRY_STOP_SECONDS} ${shq(c.name)} >/dev/null`,
        `else`,
        `  ${cleanup}`,
        `  ${create}`,
        `fi`,
        pickSource,
        has(`"$src"`),
    ].join("\n");
    const send = (containerPath: string) => `${pickSource}\ndocker cp "$src":${shq(containerPath)} -`;
    // Unpacked by the image's own tar, as root, keeping the owners: `docker cp -a` into a container that is not
    // running fails on images that name their user (it looks the user up inside the container).
    const receive = (containerPath: string) =>
        `docker run --rm -i --user 0:0 --entrypoint tar ${mounts.map(shq).join(" ")} ${shq(image)} -x -p -f - -C ${shq(parentDir(containerPath))}`;
    const verify = [`if ${has(shq(tmp))}; then ok=0; else ok=1; fi`, cleanup, `exit $ok`].join("\n");
    // Every failure after the stop: no helper container left on either host, and one line naming node and host.
    const failIf = (condition: string, message: string) => [
        `if ${condition}; then`,
        `  ${on(from, cleanup)}`,
        `  ${on(to, cleanup)}`,
        `  echo ${shq(`${who}${message}`)} >&2`,
        `  exit 1`,
        `fi`,
    ];

    return (
        [
            "set -eu",
            `work=$(mktemp -d)`,
            `trap 'rm -rf "$work"' EXIT`,
            `state=$(${on(to, prepare)})`,
            `if [ "$state" = present ]; then`,
            `  ${on(to, cleanup)}`,
            `  echo ${shq(`${who}its data is already on ${toName}: nothing to carry`)}`,
            `  exit 0`,
            `fi`,
            `echo ${shq(`${who}stopping it on ${fromName} (up to ${CARRY_STOP_SECONDS} s), then carrying its data to ${toName}`)}`,
            ...failIf(
                `! ${on(from, stop)}`,
                `cannot carry its data: ${fromName} has neither its container nor its volume ${first.volume} holding ${marker} (already moved, or movedFrom names the wrong host?)`,
            ),
            // A POSIX pipe reports only its receiving end: the sending end's failure is kept in a file.
            ...stateful.map(
                (v) =>
                    `{ ${on(from, send(v.containerPath))} || echo failed > "$work/send"; } | ${on(to, receive(v.containerPath))} || echo failed > "$work/receive"`,
            ),
            ...failIf(`[ -e "$work/receive" ]`, `writing its data on ${toName} failed`),
            ...failIf(`[ -e "$work/send" ]`, `reading its data on ${fromName} failed`),
            `${on(to, verify)} || { echo ${shq(`${who}its data did not arrive complete on ${toName}`)} >&2; exit 1; }`,
            on(from, cleanup),
            `echo ${shq(`${who}data carried from ${fromName} to ${toName} (${stateful.map((v) => v.volume).join(", ")}); the old volume stays on ${fromName}`)}`,
        ].join("\n") + "\n"
    );
}
