/**
 * A channel's member organisations on a running network: when the stack adds an organisation to a channel that
 * already exists, or removes one, a channel configuration update makes the channel's Application groups match the
 * configuration. Three kinds of steps per channel, each in a CLI container on its own org's host:
 *
 * 1. compute (channel lead peer's CLI): fetches the channel config, adds the group of every configured org that is
 *    missing (as `configtxgen -printOrg` printed it from the network's crypto material, anchor peers included) and
 *    drops every group that is no longer configured; prints the unsigned update envelope, the members before the
 *    change and how many admin signatures the channel's Admins policy needs, or `UPDATE none`.
 * 2. sign (one per other member org, in config order): signs with that org's admin, in its own CLI, only while
 *    signatures are still missing and only if the org is a member before the change (a newcomer's signature does
 *    not count). Only the envelope travels from step to step (a Pulumi output, not secret); no key leaves its host.
 * 3. submit (lead peer's CLI): `peer channel update`, which adds the lead org's signature, then waits until the
 *    orderer serves the new config.
 *
 * On a channel created with all its orgs, compute finds nothing to do and the others pass: the steps cost a
 * config fetch on a fresh network. Their triggers are the configured member set, so they run again exactly when it
 * changes. Every step checks before it acts, so a re-run after a failure converges.
 *
 * Signatures needed: the channel's `/Channel/Application/Admins` policy as it is in the config before the change
 * (read by the compute step; `MAJORITY Admins` by default, also `ANY`/`ALL`), counted over the orgs of the channel
 * before the change.
 */
import { ChannelSpec, NetworkSpec, OrgSpec } from "../config/spec";
import { GENERATED } from "./layout";
import { channelLeadPeer, channelOrgs, orgByName } from "./names";
import { RETRY, ordererArgs } from "./scripts";
import { shq } from "./shell";

/** Admin signatures an implicit-meta rule needs among `members` sub-policies (Fabric's ANY, ALL, MAJORITY). */
export function signaturesNeeded(rule: "ANY" | "ALL" | "MAJORITY", members: number): number {
    if (rule === "ANY") return Math.min(1, members);
    if (rule === "ALL") return members;
    return Math.floor(members / 2) + 1;
}

/** The org whose CLI computes and submits a channel's membership update: the channel's lead peer's org. */
export function membershipLead(spec: NetworkSpec, ch: ChannelSpec): OrgSpec {
    return orgByName(spec, ch.organizations[0]!);
}

/**
 * The orgs whose admins may sign a channel's membership update, in config order, besides the lead org (which
 * signs by submitting). Which of them actually sign is decided at run time against the members before the
 * change: only members count, and only as many as the policy still needs.
 */
export function membershipSigners(spec: NetworkSpec, ch: ChannelSpec): OrgSpec[] {
    const lead = membershipLead(spec, ch);
    return channelOrgs(spec, ch).filter((o) => o.name !== lead.name);
}

/**
 * The same selection on known data, for documentation and tests: given the members before the change (MSP ids)
 * and the lead's MSP id, which candidate orgs sign (in order) for a MAJORITY policy.
 */
export function selectSigners(
    before: readonly string[],
    leadMspId: string,
    candidates: readonly string[],
    rule: "ANY" | "ALL" | "MAJORITY" = "MAJORITY",
): { signers: string[]; missing: number } {
    let needed = signaturesNeeded(rule, before.length) - (before.includes(leadMspId) ? 1 : 0);
    const signers: string[] = [];
    for (const c of candidates) {
        if (needed <= 0) break;
        if (!before.includes(c) || c === leadMspId) continue;
        signers.push(c);
        needed--;
    }
    return { signers, missing: Math.max(0, needed) };
}

/** What makes the membership steps run again: the configured members (MSP ids, in order). */
export function membershipTrigger(spec: NetworkSpec, ch: ChannelSpec): string {
    return channelOrgs(spec, ch)
        .map((o) => o.mspId)
        .join(",");
}

/** Shell lines that fetch the channel's config into "$work/config.json" (the Config message as JSON). */
function fetchConfig(spec: NetworkSpec, ch: ChannelSpec): string[] {
    return [
        `retry peer channel fetch config "$work/config.block" -c ${shq(ch.name)} ${ordererArgs(spec)} >/dev/null 2>&1 || { echo ${shq(`${ch.name}: could not fetch the channel config from the orderer`)} >&2; exit 1; }`,
        `configtxlator proto_decode --input "$work/config.block" --type common.Block | jq '.data.data[0].payload.data.config' > "$work/config.json"`,
    ];
}

/** The members' MSP ids as a JSON array, for jq. */
function wantJson(spec: NetworkSpec, ch: ChannelSpec): string {
    return JSON.stringify(channelOrgs(spec, ch).map((o) => o.mspId));
}

/**
 * Compute step. stdin: a JSON object, per configured member MSP id, its group as `configtxgen -printOrg` prints
 * it. stdout: messages, then control lines the next steps read: `UPDATE none`, or `MEMBERS <msp ids before>`,
 * `NEEDED <signatures still needed besides the lead's>` and `ENVELOPE <base64 update envelope>`.
 */
export function membershipComputeScript(spec: NetworkSpec, ch: ChannelSpec): string {
    const lead = membershipLead(spec, ch);
    const want = shq(wantJson(spec, ch));
    const chq = shq(ch.name);
    const groups = ".channel_group.groups.Application.groups";
    return [
        RETRY,
        `work=$(mktemp -d); trap 'rm -rf "$work"' EXIT`,
        `cat > "$work/definitions.json"`,
        ...fetchConfig(spec, ch),
        `before=$(jq -r '${groups} | keys_unsorted | join(" ")' "$work/config.json")`,
        `added=$(jq -r --argjson want ${want} '${groups} as $g | [$want[] | select($g[.] == null)] | join(" ")' "$work/config.json")`,
        `removed=$(jq -r --argjson want ${want} '[${groups} | keys_unsorted[] | select(. as $k | $want | index($k) | not)] | join(" ")' "$work/config.json")`,
        `if [ -z "$added" ] && [ -z "$removed" ]; then`,
        `  echo ${shq(`${ch.name}: members already as configured:`)} "$before"`,
        `  echo 'UPDATE none'`,
        `  exit 0`,
        `fi`,
        `for m in $added; do`,
        `  jq -e --arg m "$m" '.[$m] | type == "object"' "$work/definitions.json" >/dev/null || { echo ${shq(`${ch.name}: no group definition for`)} "$m" >&2; exit 1; }`,
        `done`,
        // Drop the groups no longer configured, add the missing ones; nothing else of the config changes.
        `jq --argjson want ${want} --slurpfile defs "$work/definitions.json" '${groups} |= (with_entries(select(.key as $k | $want | index($k))) as $kept | reduce $want[] as $m ($kept; if .[$m] == null then .[$m] = $defs[0][$m] else . end))' "$work/config.json" > "$work/modified.json"`,
        `configtxlator proto_encode --input "$work/config.json" --type common.Config --output "$work/config.pb"`,
        `configtxlator proto_encode --input "$work/modified.json" --type common.Config --output "$work/modified.pb"`,
        `configtxlator compute_update --channel_id ${chq} --original "$work/config.pb" --updated "$work/modified.pb" --output "$work/update.pb"`,
        `configtxlator proto_decode --input "$work/update.pb" --type common.ConfigUpdate > "$work/update.json"`,
        `jq -n --arg ch ${chq} --slurpfile u "$work/update.json" '{payload: {header: {channel_header: {channel_id: $ch, type: 2}}, data: {config_update: $u[0]}}}' > "$work/envelope.json"`,
        `configtxlator proto_encode --input "$work/envelope.json" --type common.Envelope --output "$work/envelope.pb"`,
        // The policy the update must satisfy, as the channel holds it now (MAJORITY Admins unless changed).
        `rule=$(jq -r '.channel_group.groups.Application.policies.Admins.policy | if .type == 3 then .value.rule else "MAJORITY" end' "$work/config.json")`,
        `count=$(echo "$before" | wc -w)`,
        `case $rule in ANY) needed=1;; ALL) needed=$count;; *) needed=$((count / 2 + 1));; esac`,
        `case " $before " in *${shq(` ${lead.mspId} `)}*) needed=$((needed - 1));; esac`,
        `echo ${shq(`${ch.name}: update prepared: add`)} "\${added:-nothing}, remove \${removed:-nothing}; $rule Admins of $count members before the change ($before)"`,
        `echo "MEMBERS $before"`,
        `echo "NEEDED $needed"`,
        `echo "ENVELOPE $(base64 -w0 "$work/envelope.pb")"`,
    ].join("\n");
}

/** The shell lines that read the previous step's control lines from "$work/in". */
const READ_CONTROL = [
    `work=$(mktemp -d); trap 'rm -rf "$work"' EXIT`,
    `cat > "$work/in"`,
    `if grep -qx 'UPDATE none' "$work/in"; then none=1; else none=0; fi`,
    `members=$(sed -n 's/^MEMBERS //p' "$work/in")`,
    `needed=$(sed -n 's/^NEEDED //p' "$work/in")`,
    `sed -n 's/^ENVELOPE //p' "$work/in" > "$work/envelope.b64"`,
];

/**
 * Sign step of one org, in that org's CLI (its admin's key never leaves it). stdin and stdout: the control lines
 * (see the compute step), with this org's signature added when it counts and is still needed.
 */
export function membershipSignScript(ch: ChannelSpec, org: OrgSpec): string {
    const who = `${org.mspId} on ${ch.name}`;
    return [
        ...READ_CONTROL,
        `if [ "$none" = 1 ]; then`,
        `  echo ${shq(`${who}: no membership update to sign`)}`,
        `  echo 'UPDATE none'`,
        `  exit 0`,
        `fi`,
        `[ -s "$work/envelope.b64" ] && [ -n "$needed" ] || { echo ${shq(`${who}: the previous step handed over no update envelope`)} >&2; exit 1; }`,
        `case " $members " in`,
        `  *${shq(` ${org.mspId} `)}*)`,
        `    if [ "$needed" -gt 0 ]; then`,
        `      base64 -d "$work/envelope.b64" > "$work/envelope.pb"`,
        `      peer channel signconfigtx -f "$work/envelope.pb" >&2`,
        `      base64 -w0 "$work/envelope.pb" > "$work/envelope.b64"`,
        `      needed=$((needed - 1))`,
        `      echo ${shq(`${who}: signed by the org's admin`)}`,
        `    else`,
        `      echo ${shq(`${who}: enough signatures already, not signing`)}`,
        `    fi;;`,
        `  *) echo ${shq(`${who}: not a member before the change, its signature would not count`)};;`,
        `esac`,
        `echo "MEMBERS $members"`,
        `echo "NEEDED $needed"`,
        `echo "ENVELOPE $(cat "$work/envelope.b64")"`,
    ].join("\n");
}

/**
 * Submit step, in the lead org's CLI: unless the channel already has the configured members, sends the update
 * (`peer channel update` adds the lead org's signature) and waits until the orderer serves the new config.
 */
export function membershipSubmitScript(spec: NetworkSpec, ch: ChannelSpec): string {
    const want = shq(wantJson(spec, ch));
    const matches = `jq -e --argjson want ${want} '(.channel_group.groups.Application.groups | keys | sort) == ($want | sort)' "$work/config.json" >/dev/null`;
    const lead = channelLeadPeer(spec, ch.name);
    return [
        RETRY,
        ...READ_CONTROL,
        `if [ "$none" = 1 ]; then`,
        `  echo ${shq(`${ch.name}: no membership update to submit`)}`,
        `  exit 0`,
        `fi`,
        ...fetchConfig(spec, ch),
        `if ${matches}; then`,
        `  echo ${shq(`${ch.name}: members already as configured (an earlier run submitted the update)`)}`,
        `  exit 0`,
        `fi`,
        `if [ "\${needed:-1}" -gt 0 ]; then`,
        `  echo ${shq(`${ch.name}: the update still lacks`)} "$needed" ${shq(`admin signature(s) of the members before the change (`)}"$members"${shq(`): too few of them stay in the channel's organizations to satisfy its Admins policy`)} >&2`,
        `  exit 1`,
        `fi`,
        `base64 -d "$work/envelope.b64" > "$work/envelope.pb"`,
        `peer channel update -f "$work/envelope.pb" -c ${shq(ch.name)} ${ordererArgs(spec)}`,
        // The orderer applies the update once it has ordered it: the joins after this step need it in force.
        `n=0`,
        `until { ${fetchConfig(spec, ch).join(" && ")}; } && ${matches}; do`,
        `  n=$((n + 1)); [ "$n" -lt 30 ] || { echo ${shq(`${ch.name}: the orderer does not serve the updated config after 60 s`)} >&2; exit 1; }`,
        `  sleep 2`,
        `done`,
        `echo ${shq(`${ch.name}: update submitted by ${lead.fqdn} (${membershipLead(spec, ch).mspId} admin); members now:`)} "$(jq -r '.channel_group.groups.Application.groups | keys | join(" ")' "$work/config.json")"`,
    ].join("\n");
}

/**
 * The compute step's stdin: per member org of the channel, its group as the artifacts step printed it
 * (`configtxgen -printOrg`), from the artifacts archive's files. Public: certificates and policies only.
 */
export function memberDefinitions(spec: NetworkSpec, ch: ChannelSpec, artifacts: ReadonlyMap<string, Buffer>): string {
    const out: Record<string, unknown> = {};
    for (const org of channelOrgs(spec, ch)) {
        const file = GENERATED.orgDefinition(org.mspId);
        const data = artifacts.get(file);
        if (!data) throw new Error(`channel artifacts: ${file} is missing (configtxgen -printOrg ${org.mspId})`);
        out[org.mspId] = withAnchorPeers(JSON.parse(data.toString("utf8")) as PrintedGroup, org);
    }
    return JSON.stringify(out);
}

/**
 * `configtxgen -printOrg` (2.5) prints the MSP and policies but not the anchor peers: they are added here, as a
 * channel created with the org would hold them, so the org joins with its anchors in one update (its anchor step
 * then finds them set).
 */
interface PrintedGroup {
    readonly values?: Readonly<Record<string, unknown>>;
    readonly [key: string]: unknown;
}

function withAnchorPeers(group: PrintedGroup, org: OrgSpec): PrintedGroup {
    const anchors = org.peers.filter((p) => p.anchor);
    if (anchors.length === 0 || group.values?.AnchorPeers) return group;
    return {
        ...group,
        values: {
            ...group.values,
            AnchorPeers: {
                mod_policy: "Admins",
                value: { anchor_peers: anchors.map((p) => ({ host: p.fqdn, port: p.port })) },
                version: "0",
            },
        },
    };
}
