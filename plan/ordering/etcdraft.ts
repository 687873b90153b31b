/**
 * Raft consensus: the orderers are the consenters and nothing else runs beside them. Each orderer is named in
 * the channel config by its host, port and TLS server certificate (client and server: the cluster reuses the
 * orderer's TLS pair), and its local configuration gives the cluster that same pair.
 */
import { EtcdRaftOrderingSpec, NetworkSpec } from "../../config/spec";
import { CONTAINER, GENERATED } from "../layout";
import type { OrderingPlan } from "./index";
import { kafkaBackendParts, kafkaNodeGroups, kafkaOrdering } from "./kafka";
import { migrationPlan } from "./migration";

/** Where the orderer keeps its Raft log and snapshots: inside its ledger volume, so a backup covers them. */
export const RAFT_DIRS = {
    wal: `${CONTAINER.orderer.ledger}/etcdraft/wal`,
    snapshot: `${CONTAINER.orderer.ledger}/etcdraft/snapshot`,
} as const;

/**
 * The consensus part of the Orderer section. Certificates are paths to the cryptogen output, relative to
 * configtx.yaml (configtxgen reads them and embeds the PEM): the same metadata serves every channel, as the
 * Kafka → Raft migration requires.
 */
export function etcdraftConfigtx(spec: NetworkSpec, r: EtcdRaftOrderingSpec) {
    return {
        OrdererType: "etcdraft",
        EtcdRaft: {
            Consenters: spec.orderers.map((o) => ({
                Host: o.fqdn,
                Port: o.port,
                ClientTLSCert: `${GENERATED.orderer(spec, o)}/tls/server.crt`,
                ServerTLSCert: `${GENERATED.orderer(spec, o)}/tls/server.crt`,
            })),
            Options: {
                TickInterval: r.options.tickInterval,
                ElectionTick: r.options.electionTick,
                HeartbeatTick: r.options.heartbeatTick,
                MaxInflightBlocks: r.options.maxInflightBlocks,
                SnapshotIntervalSize: r.options.snapshotIntervalSize,
            },
        },
    };
}

/** The orderer's cluster settings: the TLS pair it serves with, and the TLS CA it trusts other consenters by. */
export function clusterEnv(): Record<string, string> {
    return {
        ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: `${CONTAINER.orderer.tls}/server.crt`,
        ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: `${CONTAINER.orderer.tls}/server.key`,
        ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${CONTAINER.orderer.tls}/ca.crt]`,
        ORDERER_CONSENSUS_WALDIR: RAFT_DIRS.wal,
        ORDERER_CONSENSUS_SNAPDIR: RAFT_DIRS.snapshot,
    };
}

export function etcdraftOrdering(spec: NetworkSpec, r: EtcdRaftOrderingSpec): OrderingPlan {
    const raft: OrderingPlan = {
        type: "etcdraft",
        genesisProfile: "RaftOrdererGenesis",
        configtx: etcdraftConfigtx(spec, r),
        ordererEnv: () => clusterEnv(),
        // Consenters dial each other by fqdn: the base orderer spec already resolves every other orderer.
        ordererContacts: () => [],
        // The orderers' own TLS pairs are all Raft needs: no extra mounts, identities or files.
        ordererBinds: () => [],
        cryptoOrgs: [],
        files: () => [],
        rendered: () => [],
        nodeGroups: [],
        // Nothing to wait for beyond the orderer's own files: the consenters elect a leader once a majority runs.
        ordererAfter: [],
        migration: null,
    };
    const m = r.migration;
    if (!m) return raft;
    const migration = migrationPlan(spec, m);
    if (m.abort) {
        // Going back: the network is the Kafka network it was, plus the steps that restore it.
        const kafka = kafkaOrdering(spec, { type: "kafka", ...m.from }, { zookeeperAfter: migration.backendAfter });
        return {
            ...kafka,
            ordererAfter: [...kafka.ordererAfter, ...migration.ordererAfter],
            files: (host) => [...kafka.files(host), ...migration.files(host)],
            migration,
        };
    }
    // The backend being left: its containers go once Raft runs; its volumes stay, and so do its identities and
    // files (the migration still restarts its nodes), but the Raft orderers no longer mount its trust.
    const backend = kafkaBackendParts(spec, m.from);
    return {
        ...raft,
        cryptoOrgs: backend.cryptoOrgs,
        rendered: backend.rendered,
        nodeGroups: kafkaNodeGroups(spec, m.from, { retired: true }),
        ordererAfter: migration.ordererAfter,
        files: (host) => [...backend.files(host), ...migration.files(host)],
        migration,
    };
}
