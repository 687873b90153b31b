/**
 * The containers of the network's own nodes as the plan hands them to the Docker provider: peer, its CLI, its
 * CouchDB, a chaincode server, an orderer. What each promise rests on is here in full: the ledgers on volumes kept
 * on destroy, the material mounted read-only, TLS everywhere, names resolved to the hosts that serve them.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { NetworkSpec, validateConfig } from "../../config";
import {
    ContainerSpec,
    chaincodeContainer,
    cliContainer,
    couchdbContainer,
    ordererContainer,
    packageId,
    peerContainer,
} from "../../plan";
import { SECRET, clone, rawStackConfig, stackSpec, withTestCredentials } from "../support/stacks";

let dev: NetworkSpec;
beforeEach(() => {
    dev = stackSpec("dev");
});
const withoutReadiness = (c: ContainerSpec) => {
    const { readiness, ...rest } = c;
    expect(readiness === null || typeof readiness === "object").toBe(true);
    return rest;
};
const WORK = "/var/lib/fabric-kafka";
const PEER_CFG = "/etc/hyperledger/fabric";
const ORDERERS = [10, 11, 12].map((n, i) => ({ host: `orderer${i}.example.com`, ip: `198.51.100.${n}` }));

const peerEnv = (fqdn: string, msp: string, bootstrap: string) => ({
    FABRIC_LOGGING_SPEC: "INFO",
    CORE_PEER_ID: fqdn,
    CORE_PEER_ADDRESS: `${fqdn}:7051`,
    CORE_PEER_LISTENADDRESS: "0.0.0.0:7051",
    CORE_PEER_CHAINCODELISTENADDRESS: "0.0.0.0:7052",
    CORE_PEER_CHAINCODEADDRESS: `${fqdn}:7052`,
    CORE_PEER_GOSSIP_BOOTSTRAP: bootstrap,
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: `${fqdn}:7051`,
    CORE_PEER_GOSSIP_USELEADERELECTION: "false",
    CORE_PEER_GOSSIP_ORGLEADER: "true",
    CORE_PEER_LOCALMSPID: msp,
    CORE_PEER_MSPCONFIGPATH: `${PEER_CFG}/msp`,
    CORE_PEER_FILESYSTEMPATH: "/var/hyperledger/production",
    CORE_PEER_TLS_ENABLED: "true",
    CORE_OPERATIONS_LISTENADDRESS: "0.0.0.0:9443",
    CORE_METRICS_PROVIDER: "prometheus",
    CORE_LEDGER_STATE_STATEDATABASE: "goleveldb",
    CORE_PEER_TLS_CERT_FILE: `${PEER_CFG}/tls/server.crt`,
    CORE_PEER_TLS_KEY_FILE: `${PEER_CFG}/tls/server.key`,
    CORE_PEER_TLS_ROOTCERT_FILE: `${PEER_CFG}/tls/ca.crt`,
    // No Docker socket: chaincode runs as a service, through the external builder.
    CORE_VM_ENDPOINT: "",
    CORE_CHAINCODE_EXTERNALBUILDERS:
        "[{name: ccaas_builder, path: /opt/hyperledger/ccaas_builder, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]",
    CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify({ peername: fqdn }),
});

describe("a peer", () => {
    it("keeps its ledger on a volume kept on destroy, reads its material read-only, and knows the orderers and the other org's anchor", () => {
        const p = dev.organizations[0]!.peers[0]!;
        const { command, ...c } = withoutReadiness(peerContainer(dev, p));
        expect(command![0]).toBe("bash");
        expect(c).toEqual({
            name: "peer0.org1.example.com",
            resourceName: "peer0-org1",
            role: "peer",
            host: "peer0-org1",
            image: "peer",
            hostname: "peer0.org1.example.com",
            // Alone in its org, the peer bootstraps gossip from itself.
            env: peerEnv("peer0.org1.example.com", "Org1MSP", "peer0.org1.example.com:7051"),
            ports: [{ internal: 7051, external: 7051, ip: "0.0.0.0" }],
            volumes: [
                {
                    volume: "peer0.org1.example.com-ledger",
                    containerPath: "/var/hyperledger/production",
                    stateful: true,
                },
            ],
            binds: [
                {
                    hostPath: `${WORK}/peers/peer0.org1.example.com/node/msp`,
                    containerPath: `${PEER_CFG}/msp`,
                    readOnly: true,
                },
                {
                    hostPath: `${WORK}/peers/peer0.org1.example.com/node/tls`,
                    containerPath: `${PEER_CFG}/tls`,
                    readOnly: true,
                },
            ],
            extraHosts: [{ host: "bar.org5.example.com", ip: "203.0.113.13" }, ...ORDERERS],
            aliases: ["peer0.org1.example.com"],
            restart: "unless-stopped",
        });
    });

    it("bootstraps gossip from the other peers of its org", () => {
        const bar = dev.organizations[1]!.peers[1]!;
        expect(peerContainer(dev, bar).env).toEqual(
            peerEnv("bar.org5.example.com", "Org5MSP", "foo27.org5.example.com:7051"),
        );
    });

    it("uses CouchDB when told, and has no TLS settings without TLS", () => {
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as Record<string, any>;
        raw.organizations[0].peers[0].stateDatabase = "couchdb";
        raw.network.tls = false;
        const spec = validateConfig(raw, SECRET);
        const p = spec.organizations[0]!.peers[0]!;
        const env = peerContainer(spec, p).env;
        expect(env.CORE_LEDGER_STATE_STATEDATABASE).toBe("CouchDB");
        expect(Object.keys(env).filter((k) => k.startsWith("CORE_LEDGER_STATE_COUCHDBCONFIG_"))).not.toEqual([]);
        expect(Object.keys(env).filter((k) => k.startsWith("CORE_PEER_TLS_"))).toEqual(["CORE_PEER_TLS_ENABLED"]);
        expect(env.CORE_PEER_TLS_ENABLED).toBe("false");
        expect(cliContainer(spec, p).env).not.toHaveProperty("CORE_PEER_TLS_ROOTCERT_FILE");
        expect(withoutReadiness(couchdbContainer(spec, p))).toEqual({
            name: "couchdb.peer0.org1.example.com",
            resourceName: "peer0-org1-couchdb",
            role: "couchdb",
            host: "peer0-org1",
            image: "couchdb",
            hostname: "couchdb.peer0.org1.example.com",
            env: {},
            command: null,
            ports: [],
            volumes: [
                { volume: "couchdb.peer0.org1.example.com-data", containerPath: "/opt/couchdb/data", stateful: true },
            ],
            binds: [],
            extraHosts: [],
            aliases: ["couchdb.peer0.org1.example.com"],
            restart: "unless-stopped",
        });
    });
});

describe("a peer's CLI", () => {
    it("runs the tools image idle, as its org's admin, with its work folder bound and no port", () => {
        const p = dev.organizations[0]!.peers[0]!;
        expect(withoutReadiness(cliContainer(dev, p))).toEqual({
            name: "cli.peer0.org1.example.com",
            resourceName: "peer0-org1-cli",
            role: "cli",
            host: "peer0-org1",
            image: "tools",
            hostname: "cli.peer0.org1.example.com",
            env: {
                FABRIC_LOGGING_SPEC: "WARNING",
                CORE_PEER_ADDRESS: "peer0.org1.example.com:7051",
                CORE_PEER_LOCALMSPID: "Org1MSP",
                CORE_PEER_MSPCONFIGPATH: "/work/admin/msp",
                CORE_PEER_TLS_ENABLED: "true",
                CORE_PEER_TLS_ROOTCERT_FILE: "/work/tlsca/org1.example.com.pem",
            },
            command: ["sleep", "infinity"],
            ports: [],
            volumes: [],
            binds: [{ hostPath: `${WORK}/peers/peer0.org1.example.com/cli`, containerPath: "/work", readOnly: false }],
            extraHosts: [{ host: "bar.org5.example.com", ip: "203.0.113.13" }, ...ORDERERS],
            aliases: ["cli.peer0.org1.example.com"],
            restart: "unless-stopped",
        });
    });
});

describe("a chaincode server", () => {
    it("serves on its port under the package id its peer knows, beside its peer, published nowhere", () => {
        const p = dev.organizations[0]!.peers[0]!;
        const cc = dev.chaincodes[0]!;
        expect(withoutReadiness(chaincodeContainer(dev, cc, p, packageId(cc)))).toEqual({
            name: "mycc.peer0.org1.example.com",
            resourceName: "mycc-peer0-org1",
            role: "chaincode",
            host: "peer0-org1",
            image: "chaincode",
            hostname: "mycc.peer0.org1.example.com",
            env: { CHAINCODE_SERVER_ADDRESS: "0.0.0.0:9999", CHAINCODE_ID: packageId(cc) },
            command: null,
            ports: [],
            volumes: [],
            binds: [],
            extraHosts: [],
            aliases: ["mycc.peer0.org1.example.com"],
            restart: "unless-stopped",
        });
    });
});

describe("an orderer", () => {
    it("keeps its ledger on a kept volume, reads its material and genesis block read-only, and knows the brokers", () => {
        const o = dev.orderers[0]!;
        const { env, ...c } = withoutReadiness(ordererContainer(dev, o));
        const tls = "/var/hyperledger/orderer/tls";
        expect(env).toEqual({
            FABRIC_LOGGING_SPEC: "INFO:orderer.common.server=WARNING",
            ORDERER_GENERAL_LISTENADDRESS: "0.0.0.0",
            ORDERER_GENERAL_LISTENPORT: "7050",
            ORDERER_GENERAL_LOCALMSPID: "OrdererMSP",
            ORDERER_GENERAL_LOCALMSPDIR: "/var/hyperledger/orderer/msp",
            ORDERER_GENERAL_BOOTSTRAPMETHOD: "file",
            ORDERER_GENERAL_BOOTSTRAPFILE: "/var/hyperledger/orderer/orderer.genesis.block",
            ORDERER_GENERAL_TLS_ENABLED: "true",
            ORDERER_FILELEDGER_LOCATION: "/var/hyperledger/production/orderer",
            ORDERER_KAFKA_VERSION: "1.0.0",
            ORDERER_KAFKA_TOPIC_REPLICATIONFACTOR: "3",
            ORDERER_KAFKA_VERBOSE: "false",
            ORDERER_KAFKA_RETRY_SHORTINTERVAL: "1s",
            ORDERER_KAFKA_TLS_ENABLED: "true",
            ORDERER_KAFKA_TLS_PRIVATEKEY_FILE: `${tls}/server.key`,
            ORDERER_KAFKA_TLS_CERTIFICATE_FILE: `${tls}/server.crt`,
            ORDERER_KAFKA_TLS_ROOTCAS_FILE: "/var/hyperledger/orderer/kafka/ca.pem",
            ORDERER_OPERATIONS_LISTENADDRESS: "0.0.0.0:8443",
            ORDERER_METRICS_PROVIDER: "prometheus",
            ORDERER_GENERAL_TLS_PRIVATEKEY: `${tls}/server.key`,
            ORDERER_GENERAL_TLS_CERTIFICATE: `${tls}/server.crt`,
            ORDERER_GENERAL_TLS_ROOTCAS: `[${tls}/ca.crt]`,
            ORDERER_CHANNELPARTICIPATION_ENABLED: "false",
        });
        const dir = `${WORK}/orderers/orderer0.example.com`;
        expect(c).toEqual({
            name: "orderer0.example.com",
            resourceName: "orderer0",
            role: "orderer",
            host: "orderer0",
            image: "orderer",
            hostname: "orderer0.example.com",
            command: null,
            ports: [{ internal: 7050, external: 7050, ip: "0.0.0.0" }],
            volumes: [
                {
                    volume: "orderer0.example.com-ledger",
                    containerPath: "/var/hyperledger/production/orderer",
                    stateful: true,
                },
            ],
            binds: [
                { hostPath: `${dir}/msp`, containerPath: "/var/hyperledger/orderer/msp", readOnly: true },
                { hostPath: `${dir}/tls`, containerPath: tls, readOnly: true },
                {
                    hostPath: `${dir}/genesis.block`,
                    containerPath: "/var/hyperledger/orderer/orderer.genesis.block",
                    readOnly: true,
                },
                { hostPath: `${dir}/kafka`, containerPath: "/var/hyperledger/orderer/kafka", readOnly: true },
            ],
            extraHosts: [
                ...[21, 22, 23, 24].map((n, i) => ({ host: `kafka${i + 1}`, ip: `192.0.2.${n}` })),
                ...ORDERERS.slice(1),
            ],
            aliases: ["orderer0.example.com"],
            restart: "unless-stopped",
        });
    });
});

describe("an orderer of Fabric 1.4", () => {
    it("reads its genesis block through 1.4's settings and has no channel participation switch", () => {
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as Record<string, any>;
        raw.network.fabricVersion = "1.4";
        raw.chaincodes = [];
        const spec = validateConfig(raw, SECRET);
        const env = ordererContainer(spec, spec.orderers[0]!).env;
        expect(env.ORDERER_GENERAL_GENESISMETHOD).toBe("file");
        expect(env.ORDERER_GENERAL_GENESISFILE).toBe("/var/hyperledger/orderer/orderer.genesis.block");
        expect(Object.keys(env).filter((k) => /BOOTSTRAP|CHANNELPARTICIPATION/.test(k))).toEqual([]);
    });
});
