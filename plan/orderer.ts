/**
 * The orderer's container: the settings every consensus shares (listen address, MSP, system-channel
 * bootstrap, TLS, operations), plus what the spec's consensus adds (plan/ordering).
 */
import { Carry } from "./carry";
import { NetworkSpec, OrdererSpec } from "../config/spec";
import { extraHostsFor, ordererNames, published } from "./containers";
import { CONTAINER, WORKDIR } from "./layout";
import { VOLUME, hostByName } from "./names";
import { orderingPlan } from "./ordering";
import { ordererReadiness } from "./readiness";
import { ContainerSpec } from "./types";

/**
 * Appended to every orderer's logging spec. At start the orderer logs its whole configuration at INFO on this
 * logger, and that includes the Kafka client's private key in full: Fabric reads ORDERER_KAFKA_TLS_PRIVATEKEY_FILE
 * into the setting as content. The logger says nothing else an operator needs at INFO ("Beginning to serve
 * requests" is one of its lines; the readiness check probes the port instead, plan/readiness.ts). Last in the
 * spec, so that it wins over any level the config gives this logger.
 */
export const ORDERER_LOGGING = "orderer.common.server=WARNING";

export function ordererEnv(spec: NetworkSpec, o: OrdererSpec): Record<string, string> {
    const v14 = spec.fabricVersion === "1.4";
    const env: Record<string, string> = {
        FABRIC_LOGGING_SPEC: `${spec.logging}:${ORDERER_LOGGING}`,
        ORDERER_GENERAL_LISTENADDRESS: "0.0.0.0",
        ORDERER_GENERAL_LISTENPORT: String(o.port),
        ORDERER_GENERAL_LOCALMSPID: spec.ordererOrg.mspId,
        ORDERER_GENERAL_LOCALMSPDIR: CONTAINER.orderer.msp,
        // 2.x renamed the genesis settings; the 1.4 names are still accepted by 2.5 but with a warning.
        [v14 ? "ORDERER_GENERAL_GENESISMETHOD" : "ORDERER_GENERAL_BOOTSTRAPMETHOD"]: "file",
        [v14 ? "ORDERER_GENERAL_GENESISFILE" : "ORDERER_GENERAL_BOOTSTRAPFILE"]: CONTAINER.orderer.genesis,
        ORDERER_GENERAL_TLS_ENABLED: String(spec.tls),
        ORDERER_FILELEDGER_LOCATION: CONTAINER.orderer.ledger,
        ...orderingPlan(spec).ordererEnv(o),
        ORDERER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${o.operationsPort}`,
        ORDERER_METRICS_PROVIDER: "prometheus",
    };
    if (spec.tls) {
        env.ORDERER_GENERAL_TLS_PRIVATEKEY = `${CONTAINER.orderer.tls}/server.key`;
        env.ORDERER_GENERAL_TLS_CERTIFICATE = `${CONTAINER.orderer.tls}/server.crt`;
        env.ORDERER_GENERAL_TLS_ROOTCAS = `[${CONTAINER.orderer.tls}/ca.crt]`;
    }
    if (!v14) env.ORDERER_CHANNELPARTICIPATION_ENABLED = "false";
    return env;
}

/** A moved orderer's carry (plan/carry): its ledger volume, which holds `chains` once the orderer has run. */
export function ordererCarry(o: OrdererSpec): Carry | undefined {
    return o.movedFrom !== undefined && o.movedFrom !== o.host ? { from: o.movedFrom, marker: "chains" } : undefined;
}

export function ordererContainer(spec: NetworkSpec, o: OrdererSpec): ContainerSpec {
    const host = hostByName(spec, o.host);
    const dir = `${host.workdir}/${WORKDIR.orderer(o)}`;
    return {
        name: o.fqdn,
        resourceName: o.name,
        role: "orderer",
        host: o.host,
        image: "orderer",
        hostname: o.fqdn,
        env: ordererEnv(spec, o),
        command: null,
        ports: [published(host, o.port)],
        volumes: [{ volume: VOLUME.ordererLedger(o), containerPath: CONTAINER.orderer.ledger, stateful: true }],
        binds: [
            { hostPath: `${dir}/msp`, containerPath: CONTAINER.orderer.msp, readOnly: true },
            { hostPath: `${dir}/tls`, containerPath: CONTAINER.orderer.tls, readOnly: true },
            { hostPath: `${dir}/genesis.block`, containerPath: CONTAINER.orderer.genesis, readOnly: true },
            ...orderingPlan(spec).ordererBinds(o, dir),
        ],
        extraHosts: extraHostsFor(spec, o.host, [
            ...orderingPlan(spec).ordererContacts(o),
            ...ordererNames(spec).filter((n) => n.name !== o.fqdn),
        ]),
        aliases: [o.fqdn],
        restart: "unless-stopped",
        readiness: ordererReadiness(spec, o.fqdn, o.port, o.operationsPort),
    };
}
