/**
 * Scripts for the steps that run on the operator's machine: cryptogen, configtxgen, and the per-host bundles.
 *
 * Nothing is kept in a working folder. The crypto step prints the whole material as a gzipped tar (base64) on
 * stdout, which Pulumi keeps in the stack state as a secret: a second machine with the same stack converges
 * without regenerating, and an update extends the previous material (handed back by the command provider in
 * PULUMI_COMMAND_STDOUT) with `cryptogen extend` instead of replacing it.
 */
import { NetworkSpec } from "../config/spec";
import { channelOrgs } from "./names";
import { GENERATED } from "./layout";
import { shq } from "./shell";

/** A deterministic gzipped tar of the current directory on stdout, base64 on one line. */
const PACK = `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - . | gzip -n | base64 -w0`;

/** Shell function `fabric TOOL ARGS...` running a Fabric tool from PATH or from the tools image. */
function toolRunner(spec: NetworkSpec): string {
    if (spec.tools.mode === "path") {
        return `fabric() { command -v "$1" >/dev/null || { echo "$1 not found on PATH (tools.mode is \\"path\\")" >&2; exit 1; }; "$@"; }`;
    }
    const image = spec.images.tools.ref;
    return `fabric() { docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/w" -w /w -e FABRIC_CFG_PATH=/w ${shq(image)} "$@"; }`;
}

/**
 * Create: generate. Update: restore the previous material, refuse if an identity it held would be lost
 * (that would replace certificates the running network trusts), then `cryptogen extend`.
 * Inputs (environment): CRYPTO_CONFIG, IDENTITIES.
 */
export function cryptoScript(spec: NetworkSpec): string {
    return [
        "set -eu",
        toolRunner(spec),
        `work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"; umask 077`,
        `printf '%s\\n' "$CRYPTO_CONFIG" > crypto-config.yaml`,
        `if [ -n "\${PULUMI_COMMAND_STDOUT:-}" ]; then`,
        `  mkdir old && printf '%s' "$PULUMI_COMMAND_STDOUT" | base64 -d | tar -xzf - -C old`,
        `  printf '%s\\n' "$IDENTITIES" | sort > new-identities`,
        // Removing a peer, or a whole org (MSP id and domain both gone), loses nothing the network still trusts:
        // its material stays in the archive (extend never deletes), so adding it back later reuses it. What
        // is refused is an identity that changes under a name still in use, and any orderer's.
        `  gone=$(sort old/identities | comm -23 - new-identities)`,
        `  lost=$(printf '%s\\n' "$gone" | awk 'NR == FNR { if ($1 == "org") { used[$2] = 1; used[$3] = 1 }; next } $1 == "peer" { next } $1 == "org" && !($2 in used) && !($3 in used) { next } NF { print }' new-identities -)`,
        `  if [ -n "$lost" ]; then`,
        `    echo "refusing to change the crypto material: these identities would be lost and every certificate that depends on them replaced:" >&2`,
        `    printf '%s\\n' "$lost" | sed 's/^/  /' >&2`,
        `    echo "revert the change (renaming an org, a domain or a node is a new identity), or destroy and recreate the network on purpose" >&2`,
        `    exit 1`,
        `  fi`,
        `  mv old/crypto-config crypto-config`,
        `  fabric cryptogen extend --input crypto-config --config crypto-config.yaml >&2`,
        `else`,
        `  fabric cryptogen generate --config crypto-config.yaml --output crypto-config >&2`,
        `fi`,
        `printf '%s\\n' "$IDENTITIES" > identities`,
        `rm -rf old new-identities crypto-config.yaml`,
        PACK,
    ].join("\n");
}

/**
 * configtxgen: the system-channel genesis block, each channel's creation transaction and each org's anchor
 * update. stdin: the crypto step's output (configtxgen reads the MSP folders). Environment: CONFIGTX.
 */
export function artifactsScript(
    spec: NetworkSpec,
    genesisProfile: string,
    channelProfile: (c: string) => string,
): string {
    const lines = [
        "set -eu",
        toolRunner(spec),
        `work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"`,
        `base64 -d | tar -xzf -`,
        `printf '%s\\n' "$CONFIGTX" > configtx.yaml`,
        `mkdir -p out/artifacts`,
        `fabric configtxgen -configPath . -profile ${shq(genesisProfile)} -channelID ${shq(spec.systemChannel)} -outputBlock ${shq(`out/${GENERATED.genesis}`)} >&2`,
    ];
    // Each org's group as a channel configuration holds it: what a channel update adding the org to a running
    // channel inserts (plan/members.ts). Printed from the same configtx.yaml, so it is exactly what a new
    // channel would hold.
    lines.push(`mkdir -p out/artifacts/orgs`);
    for (const org of spec.organizations) {
        lines.push(
            `fabric configtxgen -configPath . -printOrg ${shq(org.mspId)} > ${shq(`out/${GENERATED.orgDefinition(org.mspId)}`)}`,
        );
    }
    for (const ch of spec.channels) {
        lines.push(
            `fabric configtxgen -configPath . -profile ${shq(channelProfile(ch.name))} -channelID ${shq(ch.name)} -outputCreateChannelTx ${shq(`out/${GENERATED.channelTx(ch.name)}`)} >&2`,
        );
        for (const org of channelOrgs(spec, ch)) {
            lines.push(
                `fabric configtxgen -configPath . -profile ${shq(channelProfile(ch.name))} -channelID ${shq(ch.name)} -asOrg ${shq(org.mspId)} -outputAnchorPeersUpdate ${shq(`out/${GENERATED.anchorsTx(ch.name, org.mspId)}`)} >&2`,
            );
        }
    }
    lines.push(`cd out && ${PACK}`);
    return lines.join("\n");
}

/**
 * One host's bundle: exactly the entries of MANIFEST (see `manifest`), nothing else. stdin: two lines, the crypto
 * output then the artifacts output.
 */
export function bundleScript(): string {
    return [
        "set -eu",
        `work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; cd "$work"; umask 077`,
        `mkdir src out`,
        `read -r crypto; read -r artifacts`,
        `printf '%s' "$crypto" | base64 -d | tar -xzf - -C src`,
        // A host without configtxgen output gets an empty second line (its delivery does not wait for configtxgen).
        `[ -z "$artifacts" ] || printf '%s' "$artifacts" | base64 -d | tar -xzf - -C src`,
        `printf '%s\\n' "$MANIFEST" | while IFS=$'\\t' read -r kind to rest; do`,
        `  [ -n "$kind" ] || continue`,
        `  mkdir -p "out/$(dirname "$to")"`,
        `  case $kind in`,
        `    copy|cat)`,
        `      IFS=$'\\t' read -r -a from <<< "$rest"`,
        `      for f in "\${from[@]}"; do`,
        `        [ -e "src/$f" ] || { echo "bundle: $f is missing from the generated material" >&2; exit 1; }`,
        `      done`,
        `      if [ "$kind" = copy ]; then cp -R "src/\${from[0]}" "out/$to"; else cat "\${from[@]/#/src/}" > "out/$to"; fi ;;`,
        `    put) printf '%s' "$rest" | base64 -d > "out/$to" ;;`,
        `    *) echo "bundle: unknown manifest entry '$kind'" >&2; exit 1 ;;`,
        `  esac`,
        `done`,
        `cd out && ${PACK}`,
    ].join("\n");
}

/**
 * Unpacks a bundle (base64 on stdin) into the host's workdir; private files stay readable by the owner only.
 * The files in `containerReadable` (paths under the workdir) are read by a container's non-root user: each and
 * its directory become readable by others, and the directory above stays owner-only, so on the host nobody but
 * the delivering user (and root) reaches them, while the container, which sees only the mounted directory, can.
 */
export function deliverScript(workdir: string, containerReadable: readonly string[] = []): string {
    const open = [...new Set(containerReadable.map((f) => f.slice(0, f.lastIndexOf("/"))))].sort();
    return [
        "set -eu",
        "umask 077",
        `mkdir -p ${shq(workdir)}`,
        `base64 -d | tar -xzf - -C ${shq(workdir)} --no-same-owner`,
        ...[...containerReadable].sort().map((f) => `chmod go+r ${shq(`${workdir}/${f}`)}`),
        ...open.map((d) => `chmod go+rx ${shq(`${workdir}/${d}`)}`),
        ...[...new Set(open.map((d) => d.slice(0, d.lastIndexOf("/"))))]
            .sort()
            .map((d) => `chmod go-rwx ${shq(`${workdir}/${d}`)}`),
        `echo ${shq(`delivered to ${workdir}:`)} "$(find ${shq(workdir)} -type f | wc -l) files"`,
    ].join("\n");
}

/** Removes what the delivery put on the host (and the blocks and packages the CLI kept beside it). */
export function undeliverScript(workdir: string): string {
    // `migration/` holds the orderer admin's identity while a Kafka → Raft migration is configured; `backend/` the
    // ZooKeeper servers' and brokers' configuration and TLS stores.
    return `rm -rf ${shq(`${workdir}/orderers`)} ${shq(`${workdir}/peers`)} ${shq(`${workdir}/migration`)} ${shq(`${workdir}/backend`)}`;
}
