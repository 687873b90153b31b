/**
 * The two inputs of Fabric's generators, rendered with js-yaml: `crypto-config.yaml` (cryptogen) and
 * `configtx.yaml` (configtxgen). Every org gets NodeOUs (the old runbook's Org5 lacked them), the consensus
 * part of the Orderer section comes from the spec's ordering variant (plan/ordering), and the capabilities
 * match the Fabric version and the chaincode lifecycle.
 */
import * as yaml from "js-yaml";
import { NetworkSpec, OrgSpec } from "../config/spec";
import { GENERATED } from "./layout";
import { channelOrgs, ordererAddresses } from "./names";
import { orderingPlan } from "./ordering";

/** Name of the configtx.yaml profile that makes the system channel's genesis block. */
export const genesisProfile = (spec: NetworkSpec) => orderingPlan(spec).genesisProfile;
export const channelProfile = (channel: string) => `Channel-${channel}`;

export function cryptoConfig(spec: NetworkSpec): object {
    return {
        OrdererOrgs: [
            {
                Name: spec.ordererOrg.name,
                Domain: spec.ordererOrg.domain,
                EnableNodeOUs: true,
                Specs: spec.orderers.map((o) => ({ Hostname: o.name })),
            },
            ...orderingPlan(spec).cryptoOrgs,
        ],
        PeerOrgs: spec.organizations.map((o) => ({
            Name: o.name,
            Domain: o.domain,
            EnableNodeOUs: true,
            // Explicit specs, not a template: adding a peer later extends the material with exactly that peer.
            Specs: o.peers.map((p) => ({ Hostname: p.name })),
            Users: { Count: o.users },
        })),
    };
}

/**
 * Capabilities. The application capability is per channel: the new lifecycle needs V2_5 (Fabric 2.5), the
 * legacy lifecycle (peer chaincode install/instantiate) a V1_4_2 channel; validation keeps one lifecycle per
 * channel.
 */
function capabilities(spec: NetworkSpec) {
    if (spec.fabricVersion === "1.4") {
        // NodeOUs identify admins by OU, which needs the V1_4_3 channel capability.
        return { channel: { V1_4_3: true }, orderer: { V1_4_2: true }, application: () => ({ V1_4_2: true }) };
    }
    const legacy = (channel: string) => spec.chaincodes.some((c) => c.channel === channel && c.lifecycle === "legacy");
    return {
        channel: { V2_0: true },
        orderer: { V2_0: true },
        application: (channel: string): Record<string, true> => (legacy(channel) ? { V1_4_2: true } : { V2_5: true }),
    };
}

const sig = (rule: string) => ({ Type: "Signature", Rule: rule });
const meta = (rule: string) => ({ Type: "ImplicitMeta", Rule: rule });

function peerOrgDefinition(o: OrgSpec, newLifecycle: boolean): Record<string, unknown> {
    const m = o.mspId;
    return {
        Name: m,
        ID: m,
        MSPDir: `${GENERATED.org(o)}/msp`,
        Policies: {
            Readers: sig(`OR('${m}.admin', '${m}.peer', '${m}.client')`),
            Writers: sig(`OR('${m}.admin', '${m}.client')`),
            Admins: sig(`OR('${m}.admin')`),
            ...(newLifecycle ? { Endorsement: sig(`OR('${m}.peer')`) } : {}),
        },
        AnchorPeers: o.peers.filter((p) => p.anchor).map((p) => ({ Host: p.fqdn, Port: p.port })),
    };
}

export function configtx(spec: NetworkSpec): object {
    const caps = capabilities(spec);
    // The org Endorsement policies (used by the new lifecycle only) are harmless on a legacy channel.
    const newLifecycle = spec.fabricVersion !== "1.4";
    const oo = spec.ordererOrg;
    const ordererEndpoints = ordererAddresses(spec);
    const ordererOrg = {
        Name: oo.name,
        ID: oo.mspId,
        MSPDir: `${GENERATED.ordererOrg(spec)}/msp`,
        Policies: {
            Readers: sig(`OR('${oo.mspId}.member')`),
            Writers: sig(`OR('${oo.mspId}.member')`),
            Admins: sig(`OR('${oo.mspId}.admin')`),
        },
        OrdererEndpoints: ordererEndpoints,
    };
    const orgs = Object.fromEntries(spec.organizations.map((o) => [o.name, peerOrgDefinition(o, newLifecycle)]));
    const channelPolicies = {
        Readers: meta("ANY Readers"),
        Writers: meta("ANY Writers"),
        Admins: meta("MAJORITY Admins"),
    };
    const applicationPolicies = (channel: string) => ({
        ...channelPolicies,
        ...("V2_5" in caps.application(channel)
            ? { LifecycleEndorsement: meta("MAJORITY Endorsement"), Endorsement: meta("MAJORITY Endorsement") }
            : {}),
    });
    const { OrdererType, ...consensus } = orderingPlan(spec).configtx;
    const ordererSection = {
        OrdererType,
        Addresses: ordererEndpoints,
        BatchTimeout: spec.batch.timeout,
        BatchSize: {
            MaxMessageCount: spec.batch.maxMessageCount,
            AbsoluteMaxBytes: spec.batch.absoluteMaxBytes,
            PreferredMaxBytes: spec.batch.preferredMaxBytes,
        },
        ...consensus,
        Organizations: [ordererOrg],
        Policies: { ...channelPolicies, BlockValidation: meta("ANY Writers") },
        Capabilities: caps.orderer,
    };
    const profiles: Record<string, unknown> = {
        [genesisProfile(spec)]: {
            Policies: channelPolicies,
            Capabilities: caps.channel,
            Orderer: ordererSection,
            Consortiums: {
                [spec.consortium]: { Organizations: spec.organizations.map((o) => orgs[o.name]) },
            },
        },
    };
    for (const ch of spec.channels) {
        profiles[channelProfile(ch.name)] = {
            Consortium: spec.consortium,
            Policies: channelPolicies,
            Capabilities: caps.channel,
            Application: {
                Organizations: channelOrgs(spec, ch).map((o) => orgs[o.name]),
                Policies: applicationPolicies(ch.name),
                Capabilities: caps.application(ch.name),
            },
        };
    }
    return { Organizations: [ordererOrg, ...Object.values(orgs)], Profiles: profiles };
}

/** YAML without anchors (each profile spelled out), stable key order, long lines unwrapped. */
export function renderYaml(doc: object): string {
    return yaml.dump(doc, { noRefs: true, lineWidth: -1, sortKeys: false });
}
