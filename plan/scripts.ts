/**
 * The shell scripts behind every step, as pure string builders. Each one is idempotent: it checks whether its
 * effect already exists (channel fetchable, peer joined, anchor set, package installed, definition approved or
 * committed) and only acts when it does not, so a re-run never fails (the old runbook's error P6).
 *
 * Every value that comes from the configuration (names, versions, policies, paths, addresses) is quoted with
 * `shq` where it is interpolated, messages included: validation keeps these values tame, quoting keeps a value
 * that slipped through from ever being code.
 */
import { ChaincodeSpec, ChannelSpec, NetworkSpec, OrgSpec, PeerSpec } from "../config/spec";
import { ccaasPackage, legacySource, packageId, packageLabel } from "./chaincode";
import { CLI } from "./layout";
import {
    allPeers,
    chaincodeChannel,
    channelOrgs,
    cliName,
    endorsingPeer,
    ordererAddress,
    peerAddress,
    primaryOrderer,
} from "./names";
import { shq } from "./shell";
import { FileCopy, RenderedFile } from "./types";

// Modules that imported shq from here keep working; the helper itself lives in plan/shell.
export { shq } from "./shell";

/** `docker exec` of a script in a peer's CLI container; `-i` when the script reads stdin. */
export function inCli(p: PeerSpec, script: string, stdin = false): string {
    return `docker exec ${stdin ? "-i " : ""}${shq(cliName(p))} sh -c ${shq(`set -eu\n${script}`)}`;
}

/** `-o <orderer> --tls --cafile <orderer TLS CA>` for every orderer call. */
export function ordererArgs(spec: NetworkSpec): string {
    const tls = spec.tls ? ` --tls --cafile ${shq(CLI.tlsCa(spec.ordererOrg.domain))}` : "";
    return `-o ${shq(ordererAddress(primaryOrderer(spec)))}${tls}`;
}

/** Retries a command a bounded number of times: channels take a moment to start on every orderer (Kafka topics, Raft leaders). */
export const RETRY = `retry() { n=0; until "$@"; do n=$((n+1)); [ "$n" -ge 30 ] && return 1; sleep 2; done; }`;

export function channelCreateScript(spec: NetworkSpec, ch: ChannelSpec): string {
    const o = ordererArgs(spec);
    const block = shq(CLI.block(ch.name));
    const chq = shq(ch.name);
    return [
        RETRY,
        `mkdir -p "$(dirname ${block})"`,
        `if peer channel fetch 0 ${block} -c ${chq} ${o} >/dev/null 2>&1; then`,
        `  echo ${shq(`channel ${ch.name} already exists: fetched its block`)}`,
        `else`,
        // Each attempt fetches first, so a create that lost a race with an earlier attempt still ends with the
        // block in place; the create itself is retried too (a Raft system channel refuses it until it has a leader).
        `  create() { peer channel fetch 0 ${block} -c ${chq} ${o} >/dev/null 2>&1 || peer channel create -c ${chq} -f ${shq(CLI.channelTx(ch.name))} --outputBlock ${block} --timeout 60s ${o}; }`,
        `  retry create`,
        `  echo ${shq(`channel ${ch.name} created`)}`,
        `fi`,
    ].join("\n");
}

/** How long a joined peer may go without its ledger growing before its join step fails (checks 2 s apart). */
export const CATCH_UP_STALL_CHECKS = 60;
/** Upper bound on the whole catch-up, in checks 2 s apart (30 minutes), however steadily the ledger grows. */
export const CATCH_UP_MAX_CHECKS = 900;

export function channelJoinScript(spec: NetworkSpec, ch: ChannelSpec, p: PeerSpec): string {
    const o = ordererArgs(spec);
    const block = shq(CLI.block(ch.name));
    const chq = shq(ch.name);
    const who = `${p.fqdn} on channel ${ch.name}`;
    return [
        RETRY,
        `if peer channel list 2>/dev/null | grep -qxF -- ${chq}; then`,
        `  echo ${shq(`${p.fqdn} already joined ${ch.name}`)}`,
        `else`,
        `  mkdir -p "$(dirname ${block})"`,
        // Every peer fetches the genesis block of the channel itself: nothing is copied by hand. Always from
        // the orderer, never a block file already there: one left by an earlier deployment (other crypto
        // material) would join the peer to a channel whose config does not know today's identities.
        `  retry peer channel fetch 0 ${block} -c ${chq} ${o}`,
        // Each attempt checks first: an attempt that failed after the peer created the ledger is not repeated.
        `  join() { peer channel list 2>/dev/null | grep -qxF -- ${chq} || peer channel join -b ${block}; }`,
        `  retry join`,
        `  echo ${shq(`${p.fqdn} joined ${ch.name}`)}`,
        `fi`,
        // A joined peer is not ready until its ledger holds what the channel held when it joined: before that it
        // answers "chaincode not found" for a chaincode committed long ago. The target is the orderer's height
        // (newest block number + 1), read once; the peer pulls the blocks through gossip or from the orderer.
        `newest=$(mktemp)`,
        `retry peer channel fetch newest "$newest" -c ${chq} ${o} >/dev/null 2>&1 || { echo ${shq(`${who}: could not fetch the newest block from the orderer`)} >&2; exit 1; }`,
        `number=$(configtxlator proto_decode --input "$newest" --type common.Block | jq -r '.header.number // 0')`,
        `rm -f "$newest"`,
        `target=$((number + 1))`,
        `height() { peer channel getinfo -c ${chq} 2>/dev/null | sed -n 's/.*"height":\\([0-9][0-9]*\\).*/\\1/p'; }`,
        `checks=0; stalled=0; last=-1`,
        `while :; do`,
        `  h=$(height); h=\${h:-0}`,
        `  [ "$h" -ge "$target" ] && break`,
        `  if [ "$h" -gt "$last" ]; then last=$h; stalled=0; else stalled=$((stalled + 1)); fi`,
        `  checks=$((checks + 1))`,
        `  if [ "$stalled" -ge ${CATCH_UP_STALL_CHECKS} ] || [ "$checks" -ge ${CATCH_UP_MAX_CHECKS} ]; then`,
        `    echo ${shq(`${who}: the ledger has not caught up with the channel`)}" (height $h of $target after $checks checks 2 s apart, $stalled without progress)" >&2`,
        `    exit 1`,
        `  fi`,
        `  sleep 2`,
        `done`,
        `echo ${shq(`${who}: ledger caught up`)}" (height $h, channel height $target when checked)"`,
    ].join("\n");
}

export function anchorUpdateScript(spec: NetworkSpec, ch: ChannelSpec, org: OrgSpec): string {
    const o = ordererArgs(spec);
    const jqPath = `.data.data[0].payload.data.config.channel_group.groups.Application.groups[${JSON.stringify(org.mspId)}].values.AnchorPeers`;
    return [
        RETRY,
        `cfg=$(mktemp)`,
        `retry peer channel fetch config "$cfg" -c ${shq(ch.name)} ${o} >/dev/null 2>&1`,
        `if configtxlator proto_decode --input "$cfg" --type common.Block | jq -e ${shq(jqPath)} >/dev/null; then`,
        `  echo ${shq(`anchor peers of ${org.mspId} already set on ${ch.name}`)}`,
        `else`,
        `  retry peer channel update -c ${shq(ch.name)} -f ${shq(CLI.anchorsTx(ch.name, org.mspId))} ${o}`,
        `  echo ${shq(`anchor peers of ${org.mspId} set on ${ch.name}`)}`,
        `fi`,
        `rm -f "$cfg"`,
    ].join("\n");
}

/** Reads the package (base64) from stdin, installs it unless the peer already has this exact package id. */
export function ccInstallScript(cc: ChaincodeSpec, p: PeerSpec): string {
    const pkg = shq(CLI.package(packageLabel(cc)));
    const id = packageId(cc);
    return [
        `mkdir -p "$(dirname ${pkg})"`,
        `base64 -d > ${pkg}`,
        `if peer lifecycle chaincode queryinstalled 2>/dev/null | grep -qF -- ${shq(`Package ID: ${id},`)}; then`,
        `  echo ${shq(`${id} already installed on ${p.fqdn}`)}`,
        `else`,
        `  peer lifecycle chaincode install ${pkg}`,
        `  echo ${shq(`${id} installed on ${p.fqdn}`)}`,
        `fi`,
    ].join("\n");
}

export function ccPackageBase64(cc: ChaincodeSpec): string {
    return ccaasPackage(cc).toString("base64");
}

function definitionArgs(cc: ChaincodeSpec): string {
    return `-C ${shq(cc.channel)} -n ${shq(cc.name)} -v ${shq(cc.version)} --sequence ${cc.sequence} --signature-policy ${shq(cc.endorsementPolicy)}`;
}

export function ccApproveScript(spec: NetworkSpec, cc: ChaincodeSpec, org: OrgSpec): string {
    const o = ordererArgs(spec);
    return [
        RETRY,
        `if peer lifecycle chaincode queryapproved -C ${shq(cc.channel)} -n ${shq(cc.name)} --sequence ${cc.sequence} >/dev/null 2>&1; then`,
        `  echo ${shq(`${org.mspId} already approved ${cc.name} sequence ${cc.sequence}`)}`,
        `else`,
        `  retry peer lifecycle chaincode approveformyorg ${definitionArgs(cc)} --package-id ${shq(packageId(cc))} --waitForEvent ${o}`,
        `  echo ${shq(`${org.mspId} approved ${cc.name} sequence ${cc.sequence}`)}`,
        `fi`,
    ].join("\n");
}

/** One endorsing peer per org of the channel, with its org's TLS CA: what commit and invoke send to. */
export function endorserArgs(spec: NetworkSpec, ch: ChannelSpec): string {
    return channelOrgs(spec, ch)
        .map((org) => {
            const p = endorsingPeer(org);
            return `--peerAddresses ${shq(peerAddress(p))}${spec.tls ? ` --tlsRootCertFiles ${shq(CLI.tlsCa(org.domain))}` : ""}`;
        })
        .join(" ");
}

export function ccCommitScript(spec: NetworkSpec, cc: ChaincodeSpec): string {
    const ch = chaincodeChannel(spec, cc);
    const o = ordererArgs(spec);
    return [
        RETRY,
        // Capture first: in a pipe, a failing query would be masked by jq's exit status.
        `if committed=$(peer lifecycle chaincode querycommitted -C ${shq(cc.channel)} -n ${shq(cc.name)} -O json 2>/dev/null) && printf '%s' "$committed" | jq -e '.sequence >= ${cc.sequence}' >/dev/null; then`,
        `  echo ${shq(`${cc.name} sequence ${cc.sequence} already committed on ${cc.channel}`)}`,
        `else`,
        `  retry peer lifecycle chaincode commit ${definitionArgs(cc)} ${endorserArgs(spec, ch)} --waitForEvent ${o}`,
        `  echo ${shq(`${cc.name} sequence ${cc.sequence} committed on ${cc.channel}`)}`,
        `fi`,
    ].join("\n");
}

function ctorJson(fn: string, args: readonly string[]): string {
    return JSON.stringify({ function: fn, Args: args });
}

export function ccQueryCommand(cc: ChaincodeSpec, fn: string, args: readonly string[]): string {
    return `peer chaincode query -C ${shq(cc.channel)} -n ${shq(cc.name)} -c ${shq(ctorJson(fn, args))}`;
}

export function ccInvokeCommand(spec: NetworkSpec, cc: ChaincodeSpec, fn: string, args: readonly string[]): string {
    const ch = chaincodeChannel(spec, cc);
    return `peer chaincode invoke -C ${shq(cc.channel)} -n ${shq(cc.name)} -c ${shq(ctorJson(fn, args))} ${endorserArgs(spec, ch)} --waitForEvent ${ordererArgs(spec)}`;
}

/**
 * Runs the init transaction once. The chaincode's own `verify` query decides whether it already ran: if the
 * query answers, the ledger holds state and init is skipped, so a re-run never resets balances.
 */
export function ccInitScript(spec: NetworkSpec, cc: ChaincodeSpec): string {
    if (!cc.init) return `echo ${shq(`${cc.name} has no init transaction`)}`;
    const guard = cc.verify ? ccQueryCommand(cc, cc.verify.function, cc.verify.args) : "false";
    return [
        RETRY,
        // The chaincode servers were just started: wait until the peer can reach one before deciding.
        `if ${guard} >/dev/null 2>&1; then`,
        `  echo ${shq(`${cc.name} already initialised`)}`,
        `else`,
        `  retry ${ccInvokeCommand(spec, cc, cc.init.function, cc.init.args)}`,
        `  echo ${shq(`${cc.name} initialised`)}`,
        `fi`,
    ].join("\n");
}

/**
 * Legacy lifecycle: unpacks the source folder (base64 tar.gz on stdin) and runs `peer chaincode install`
 * unless the peer already has this name and version.
 */
export function ccLegacyInstallScript(cc: ChaincodeSpec, p: PeerSpec): string {
    const dir = shq(CLI.legacySource(cc.name, cc.version));
    return [
        `rm -rf ${dir} && mkdir -p ${dir}`,
        `base64 -d | tar -xzf - -C ${dir}`,
        `if peer chaincode list --installed 2>/dev/null | grep -qF -- ${shq(`Name: ${cc.name}, Version: ${cc.version},`)}; then`,
        `  echo ${shq(`${cc.name} ${cc.version} already installed on ${p.fqdn}`)}`,
        `else`,
        `  peer chaincode install -n ${shq(cc.name)} -v ${shq(cc.version)} -l node -p ${dir}`,
        `  echo ${shq(`${cc.name} ${cc.version} installed on ${p.fqdn}`)}`,
        `fi`,
    ].join("\n");
}

export function ccLegacySourceBase64(cc: ChaincodeSpec): string {
    return legacySource(cc).toString("base64");
}

/**
 * Legacy lifecycle: instantiates the chaincode (running its init transaction), or upgrades it when another
 * version is instantiated, or does nothing when this version already is. An upgrade also calls Init, so it
 * sends the contract API's read-only GetMetadata instead of the init transaction: balances are never reset.
 * Instantiate does not wait for its block, so the script polls until the channel lists the new version.
 */
export function ccInstantiateScript(spec: NetworkSpec, cc: ChaincodeSpec): string {
    const o = ordererArgs(spec);
    const current = shq(`Name: ${cc.name}, Version: ${cc.version},`);
    const anyVersion = shq(`Name: ${cc.name},`);
    const noop = ctorJson("org.hyperledger.fabric:GetMetadata", []);
    const init = cc.init ? ctorJson(cc.init.function, cc.init.args) : noop;
    const definition = `-C ${shq(cc.channel)} -n ${shq(cc.name)} -v ${shq(cc.version)} -P ${shq(cc.endorsementPolicy)}`;
    return [
        `instantiated() { peer chaincode list --instantiated -C ${shq(cc.channel)} 2>/dev/null; }`,
        `if instantiated | grep -qF -- ${current}; then`,
        `  echo ${shq(`${cc.name} ${cc.version} already instantiated on ${cc.channel}`)}`,
        `  exit 0`,
        `fi`,
        // Each attempt re-reads the channel first: an attempt whose block landed late is never repeated.
        `n=0`,
        `until instantiated | grep -qF -- ${current}; do`,
        `  n=$((n+1)); [ "$n" -le 60 ] || { echo ${shq(`${cc.name} ${cc.version} not instantiated on ${cc.channel} after 60 attempts`)} >&2; exit 1; }`,
        `  if [ $((n % 5)) -eq 1 ]; then`,
        `    if instantiated | grep -qF -- ${anyVersion}; then`,
        `      peer chaincode upgrade ${definition} -c ${shq(noop)} ${o} && echo ${shq(`${cc.name} upgraded to ${cc.version} on ${cc.channel}`)} || true`,
        `    else`,
        `      peer chaincode instantiate ${definition} -c ${shq(init)} ${o} && echo ${shq(`${cc.name} ${cc.version} instantiated on ${cc.channel}`)} || true`,
        `    fi`,
        `  fi`,
        `  sleep 2`,
        `done`,
    ].join("\n");
}

/**
 * The list a host's bundle is made from (bundleScript), one entry per line, fields separated by tabs:
 * `copy TO FROM` (a file or directory of the generated material), `cat TO FROM...` (files concatenated into one)
 * and `put TO BASE64` (a file the plan rendered).
 */
export function manifest(files: readonly FileCopy[], rendered: readonly RenderedFile[] = []): string {
    return [
        ...files.map((f) =>
            typeof f.from === "string" ? `copy\t${f.to}\t${f.from}` : ["cat", f.to, ...f.from].join("\t"),
        ),
        ...rendered.map((r) => `put\t${r.to}\t${Buffer.from(r.content, "utf8").toString("base64")}`),
    ].join("\n");
}

/** Identities the crypto material holds, one per line: an update may add lines, never lose one. */
export function identities(spec: NetworkSpec): string {
    const lines = [
        ...spec.orderers.map((o) => `orderer ${o.fqdn}`),
        ...spec.organizations.map((o) => `org ${o.mspId} ${o.domain}`),
        ...allPeers(spec).map((p) => `peer ${p.fqdn}`),
    ];
    return [...lines].sort().join("\n");
}
