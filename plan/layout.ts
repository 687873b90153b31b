/**
 * Where things live: container paths inside the images, and the layout of each host's workdir.
 * Every other plan module takes its paths from here, so the file delivery and the container mounts agree.
 */
import { NetworkSpec, OrdererSpec, OrgSpec, PeerSpec } from "../config/spec";

export const CONTAINER = {
    orderer: {
        msp: "/var/hyperledger/orderer/msp",
        tls: "/var/hyperledger/orderer/tls",
        genesis: "/var/hyperledger/orderer/orderer.genesis.block",
        ledger: "/var/hyperledger/production/orderer",
        /** What the orderer trusts when it dials a broker over TLS (the brokers' CA certificate). */
        kafkaTrust: "/var/hyperledger/orderer/kafka",
    },
    peer: {
        msp: "/etc/hyperledger/fabric/msp",
        tls: "/etc/hyperledger/fabric/tls",
        ledger: "/var/hyperledger/production",
        chaincodeListenPort: 7052,
    },
    cli: { work: "/work" },
    // The official zookeeper image: ZOO_DATA_DIR, ZOO_DATA_LOG_DIR, and its configuration directory, where the
    // node's TLS key and trust stores are mounted.
    zookeeper: { data: "/data", datalog: "/datalog", tls: "/conf/tls" },
    // The official apache/kafka image: its data volume, the directory it reads mounted configuration from, its
    // secrets volume, and the distribution's start script (the image's own CMD would start a KRaft node).
    kafka: {
        logs: "/var/lib/kafka/data",
        config: "/mnt/shared/config",
        secrets: "/etc/kafka/secrets",
        start: "/opt/kafka/bin/kafka-server-start.sh",
        /** The broker's class-data-sharing archive, which the official image (3.7 and later) ships. */
        classArchive: "/opt/kafka/kafka.jsa",
    },
    couchdb: { data: "/opt/couchdb/data" },
} as const;

/** Paths relative to a host's workdir. */
export const WORKDIR = {
    orderer: (o: OrdererSpec) => `orderers/${o.fqdn}`,
    peerNode: (p: PeerSpec) => `peers/${p.fqdn}/node`,
    cli: (p: PeerSpec) => `peers/${p.fqdn}/cli`,
    /** A ZooKeeper server's or Kafka broker's files (TLS stores, configuration). */
    backendNode: (name: string) => `backend/${name}`,
} as const;

/** Paths inside the CLI container (the host's `WORKDIR.cli` is mounted at `/work`). */
export const CLI = {
    adminMsp: `${CONTAINER.cli.work}/admin/msp`,
    tlsCa: (domain: string) => `${CONTAINER.cli.work}/tlsca/${domain}.pem`,
    channelTx: (channel: string) => `${CONTAINER.cli.work}/artifacts/${channel}.tx`,
    anchorsTx: (channel: string, mspId: string) => `${CONTAINER.cli.work}/artifacts/${channel}-${mspId}-anchors.tx`,
    block: (channel: string) => `${CONTAINER.cli.work}/blocks/${channel}.block`,
    package: (label: string) => `${CONTAINER.cli.work}/chaincode/${label}.tgz`,
    /** The legacy lifecycle's source folder of one chaincode version. */
    legacySource: (name: string, version: string) => `${CONTAINER.cli.work}/chaincode/${name}-${version}-src`,
} as const;

/** Paths inside the tree the crypto and artifact steps produce on the operator's side. */
export const GENERATED = {
    ordererOrg: (spec: NetworkSpec) => `crypto-config/ordererOrganizations/${spec.ordererOrg.domain}`,
    orderer: (spec: NetworkSpec, o: OrdererSpec) =>
        `crypto-config/ordererOrganizations/${spec.ordererOrg.domain}/orderers/${o.fqdn}`,
    ordererTlsCa: (spec: NetworkSpec) =>
        `crypto-config/ordererOrganizations/${spec.ordererOrg.domain}/tlsca/tlsca.${spec.ordererOrg.domain}-cert.pem`,
    org: (org: OrgSpec) => `crypto-config/peerOrganizations/${org.domain}`,
    peer: (org: OrgSpec, p: PeerSpec) => `crypto-config/peerOrganizations/${org.domain}/peers/${p.fqdn}`,
    orgAdmin: (org: OrgSpec) => `crypto-config/peerOrganizations/${org.domain}/users/Admin@${org.domain}/msp`,
    orgTlsCa: (org: OrgSpec) => `crypto-config/peerOrganizations/${org.domain}/tlsca/tlsca.${org.domain}-cert.pem`,
    /** A client user cryptogen made (`User1`..`UserN`, `Users.Count`): its MSP folder. */
    orgUserMsp: (org: OrgSpec, user: string) =>
        `crypto-config/peerOrganizations/${org.domain}/users/${user}@${org.domain}/msp`,
    /** Everything under it comes from the channel-artifacts step (configtxgen); the rest from cryptogen. */
    artifactsRoot: "artifacts/",
    genesis: "artifacts/genesis.block",
    channelTx: (channel: string) => `artifacts/${channel}.tx`,
    anchorsTx: (channel: string, mspId: string) => `artifacts/${channel}-${mspId}-anchors.tx`,
    /** An org's group as `configtxgen -printOrg` prints it (JSON, public certificates only). */
    orgDefinition: (mspId: string) => `artifacts/orgs/${mspId}.json`,
} as const;
