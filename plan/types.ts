/** Plain data the components turn into resources. Nothing here knows about Pulumi. */
import { ImageKey } from "../config/spec";

export type Role = "zookeeper" | "kafka" | "orderer" | "peer" | "cli" | "chaincode" | "couchdb";

export interface PortMapping {
    /** Port inside the container. Equal to `external`: every node listens on the port others dial. */
    readonly internal: number;
    readonly external: number;
    /** Host address to bind; loopback on a local host so nothing is exposed beyond the operator's machine. */
    readonly ip: string;
}

export interface VolumeMount {
    /** Docker volume name, unique per host. */
    readonly volume: string;
    readonly containerPath: string;
    /** Holds a ledger or log whose loss breaks the network: protect from `destroy`. */
    readonly stateful: boolean;
}

export interface BindMount {
    readonly hostPath: string;
    readonly containerPath: string;
    readonly readOnly: boolean;
}

export interface ExtraHost {
    readonly host: string;
    readonly ip: string;
}

/** What "ready" means for one container and how it is decided (built by plan/readiness). */
export interface Readiness {
    /** What ready means, in words: for documentation and the step's messages. */
    readonly means: string;
    /**
     * POSIX sh, run on the container's host: the body of a function that returns 0 when the node is ready and
     * otherwise prints one line saying why not.
     */
    readonly check: string;
    /** Time between two checks. */
    readonly intervalMs: number;
    /** How long the readiness step polls before it fails. */
    readonly timeoutSeconds: number;
}

export interface ContainerSpec {
    /** Container name, unique per host; also its DNS alias on the host's network. */
    readonly name: string;
    /** Short name for Pulumi resource names (`kafka2`, `peer0-org1`). */
    readonly resourceName: string;
    readonly role: Role;
    readonly host: string;
    readonly image: ImageKey;
    readonly hostname: string;
    readonly env: Readonly<Record<string, string>>;
    readonly command: readonly string[] | null;
    readonly ports: readonly PortMapping[];
    readonly volumes: readonly VolumeMount[];
    readonly binds: readonly BindMount[];
    readonly extraHosts: readonly ExtraHost[];
    readonly aliases: readonly string[];
    readonly restart: "unless-stopped";
    /** What the next tier waits for once the container runs; null: nothing waits for more than the container. */
    readonly readiness: Readiness | null;
    /**
     * Docker labels. A label holding the digest of a file the container reads at start (e.g. the broker's
     * server.properties) makes a change of that file replace the container, so it never runs on stale settings.
     */
    readonly labels?: Readonly<Record<string, string>>;
}

/** A file the operator side produced, and where it lands under the host's workdir. */
export interface FileCopy {
    /**
     * Path inside the generated tree (`crypto-config/...` or `artifacts/...`); several paths are concatenated into
     * one file (a PEM key store: key, then certificate; a trust store: several CA certificates).
     */
    readonly from: string | readonly string[];
    /** Path relative to the host's workdir. */
    readonly to: string;
    /**
     * The file is read by a container that runs as a non-root user of its image (the official Kafka and
     * ZooKeeper images): the file and its directory become readable by others, and the directory above it stays
     * owner-only, so on the host only the delivering user (and root) can reach it.
     */
    readonly containerReadable?: boolean;
}

/** A file the plan renders itself (e.g. a broker's server.properties), and where it lands under the workdir. */
export interface RenderedFile {
    readonly to: string;
    readonly content: string;
    /** As in FileCopy. */
    readonly containerReadable?: boolean;
}

export type StepKind =
    | "crypto"
    | "artifacts"
    | "deliver"
    | "zookeeper"
    | "kafka"
    | "orderer"
    | "peer"
    | "cli"
    | "channel-create"
    | "members-compute"
    | "members-sign"
    | "members-submit"
    | "channel-join"
    | "anchor-update"
    | "cc-install"
    | "cc-approve"
    | "cc-commit"
    | "cc-server"
    | "cc-init"
    | "cc-instantiate"
    // The Kafka → Raft migration (plan/ordering/migration), phase by phase.
    | "migrate-admin"
    | "migrate-check"
    | "migrate-maintenance"
    | "migrate-stop"
    | "migrate-backup"
    | "migrate-restore"
    | "migrate-restart"
    | "migrate-switch"
    | "migrate-halt"
    | "migrate-leader"
    | "migrate-resume"
    | "migrate-normal"
    | "migrate-reconnect"
    | "migrate-remove";

/** One node of the step graph (plan/steps). */
export interface Step {
    readonly id: string;
    readonly kind: StepKind;
    /** The host the step runs on, or null for the operator's machine. */
    readonly host: string | null;
    /** Ids of the steps that must be complete (and, for containers, ready) first. */
    readonly after: readonly string[];
}
