/**
 * A stock Fabric client for the tests: @hyperledger/fabric-gateway over @grpc/grpc-js, connected to one peer
 * with an identity read from PEM files, exactly as an application would connect. Nothing on the wire is ours.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Contract, Gateway, connect, hash, signers } from "@hyperledger/fabric-gateway";

export interface GatewayTarget {
    /** `address:port` the client dials (the peer's host and published port). */
    readonly endpoint: string;
    /** The name in the peer's TLS certificate, when the endpoint is an address. */
    readonly hostnameOverride: string;
    /** PEM file of the TLS CA that signed the peer's TLS certificate. */
    readonly tlsCaFile: string;
    readonly mspId: string;
    /** An MSP folder of the client identity: `signcerts/*.pem` and `keystore/*`. */
    readonly mspDir: string;
    /** Deadline of every call, so a call to a node that went away fails instead of hanging (default 30 s). */
    readonly deadlineMs?: number;
}

export interface GatewayClient {
    readonly gateway: Gateway;
    /** The peer it talks to (the hostname override). */
    readonly peer: string;
    contract(channel: string, chaincode: string): Contract;
    close(): void;
}

const onlyFile = (dir: string) => {
    const files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile());
    if (files.length !== 1) throw new Error(`${dir}: expected one file, found ${files.length}`);
    return path.join(dir, files[0]!);
};

export function connectGateway(t: GatewayTarget): GatewayClient {
    const client = new grpc.Client(t.endpoint, grpc.credentials.createSsl(fs.readFileSync(t.tlsCaFile)), {
        "grpc.ssl_target_name_override": t.hostnameOverride,
    });
    const key = crypto.createPrivateKey(fs.readFileSync(onlyFile(path.join(t.mspDir, "keystore"))));
    const deadline = t.deadlineMs ?? 30_000;
    const options = () => ({ deadline: Date.now() + deadline });
    const gateway = connect({
        client,
        identity: { mspId: t.mspId, credentials: fs.readFileSync(onlyFile(path.join(t.mspDir, "signcerts"))) },
        signer: signers.newPrivateKeySigner(key),
        hash: hash.sha256,
        evaluateOptions: options,
        endorseOptions: options,
        submitOptions: options,
        commitStatusOptions: options,
    });
    return {
        gateway,
        peer: t.hostnameOverride,
        contract: (channel, chaincode) => gateway.getNetwork(channel).getContract(chaincode),
        close() {
            gateway.close();
            client.close();
        },
    };
}
