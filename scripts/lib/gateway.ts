/**
 * Connects the stock Fabric Gateway client (@hyperledger/fabric-gateway over @grpc/grpc-js) with a folder
 * written by `npm run identity`: exactly what an application would do with that folder, nothing hand-written
 * on the wire. Shared by the benchmark and the end-to-end tests.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Contract, Gateway, connect, hash, signers } from "@hyperledger/fabric-gateway";
import { APP_FILES, GatewayConfig } from "../../plan/appFolder";

export interface AppFolder {
    readonly dir: string;
    readonly config: GatewayConfig;
}

export function readAppFolder(dir: string): AppFolder {
    const file = path.join(dir, APP_FILES.gateway);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: write the folder with npm run identity`);
    return { dir, config: JSON.parse(fs.readFileSync(file, "utf8")) as GatewayConfig };
}

export interface GatewayConnection {
    readonly gateway: Gateway;
    readonly client: grpc.Client;
    /** The peer it talks to. */
    readonly peer: string;
    /** The contract of `chaincode` on `channel` (defaults: the folder's first channel and its first chaincode). */
    contract(channel?: string, chaincode?: string): Contract;
    close(): void;
}

export interface ConnectOptions {
    /** Peer name or index in the folder's list (default: the first). */
    readonly peer?: string | number;
    /** Deadline of each call (ms); a benchmark under load wants more than the default. */
    readonly submitTimeoutMs?: number;
}

/** Opens a gRPC connection to one of the org's peers and a Gateway over it. */
export function connectGateway(dir: string, opts: ConnectOptions = {}): GatewayConnection {
    const { config } = readAppFolder(dir);
    const peer =
        typeof opts.peer === "string" ? config.peers.find((p) => p.name === opts.peer) : config.peers[opts.peer ?? 0];
    if (!peer)
        throw new Error(`no peer ${String(opts.peer)} in ${dir}; it has ${config.peers.map((p) => p.name).join(", ")}`);
    const file = (rel: string) => fs.readFileSync(path.join(dir, rel));
    const credentials = peer.tlsCACert
        ? grpc.credentials.createSsl(file(peer.tlsCACert))
        : grpc.credentials.createInsecure();
    const client = new grpc.Client(
        peer.endpoint,
        credentials,
        peer.hostnameOverride ? { "grpc.ssl_target_name_override": peer.hostnameOverride } : {},
    );
    const deadline = opts.submitTimeoutMs ?? 60_000;
    const gateway = connect({
        client,
        identity: { mspId: config.mspId, credentials: file(config.identity.certificate) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(file(config.identity.privateKey))),
        hash: hash.sha256,
        evaluateOptions: () => ({ deadline: Date.now() + deadline }),
        endorseOptions: () => ({ deadline: Date.now() + deadline }),
        submitOptions: () => ({ deadline: Date.now() + deadline }),
        commitStatusOptions: () => ({ deadline: Date.now() + deadline }),
    });
    const firstChannel = Object.keys(config.channels)[0];
    return {
        gateway,
        client,
        peer: peer.name,
        contract(channel = firstChannel, chaincode?: string) {
            if (!channel) throw new Error(`${dir}: the org is a member of no channel`);
            const cc = chaincode ?? config.channels[channel]?.chaincodes[0];
            if (!cc) throw new Error(`${dir}: no chaincode on channel ${channel}`);
            return gateway.getNetwork(channel).getContract(cc);
        },
        close() {
            gateway.close();
            client.close();
        },
    };
}
