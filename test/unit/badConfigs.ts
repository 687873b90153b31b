/**
 * The bad-configuration table: one broken thing per case, the config path it must be reported at, and the
 * whole message pinned (a string is compared for equality; a RegExp only where the message lists a long set).
 * Grouped by the normalizer that owns the rule. Used by config.test.ts, which also checks that every
 * `err`/`warn` call site in config/ is reached by some case here.
 */
import { SecretKeys } from "../../config";
import { testKey } from "../support/stacks";

export type Raw = Record<string, any>;

export interface BadCase {
    readonly name: string;
    readonly mutate: (raw: Raw) => void;
    readonly secrets?: Partial<SecretKeys>;
    /** Full config keys outside the namespace (what load.ts passes as foreignKeys). */
    readonly foreignKeys?: readonly string[];
    readonly path: string;
    readonly message: string | RegExp;
    /** When set, the total number of problems reported: a mistake is reported once, not as a cascade. */
    readonly count?: number;
    /** The stack the case breaks: dev (the default), local (one local host), or dev ordered by Raft. */
    readonly base?: "dev" | "local" | "raft";
}

/** A warning case: a valid config that must produce exactly this warning. */
export interface WarnCase {
    readonly name: string;
    readonly mutate: (raw: Raw) => void;
    readonly warning: string;
    /** Start from the local stack or dev ordered by Raft instead of dev. */
    readonly stack?: "dev" | "local" | "raft";
}

const NS = "fabric-kafka:";
const ALL_HOSTS =
    "zookeeper1, zookeeper2, zookeeper3, kafka1, kafka2, kafka3, kafka4, orderer0, orderer1, orderer2, peer0-org1, foo27-org5, bar-org5";
const TOP_KEYS =
    "network, hosts, credentials, defaultCredential, ordering, organizations, channels, chaincodes, images, registryAuth, tools, ssh";
const setKey = (path: string) => `pulumi config set --secret --path '${path}' -- "$(cat ~/.ssh/id_ed25519)"`;
const CONFIG_ID =
    "letters, digits, '.' and '-' (Fabric's channel-configuration key rule), starting with a letter or digit, at most 249 characters";
const WORKDIR_ALLOWED =
    "an absolute path below / made of letters, digits, '.', '_', '-' and '/' (no '.' or '..' segments), e.g. /var/lib/fabric-kafka";
const USER_ALLOWED =
    "a POSIX user name (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters)";
const HEAP_ALLOWED =
    'JVM options separated by single spaces: -Xmx<size>, -Xms<size>, -Xss<size>, -XX:+Flag, -XX:-Flag, -XX:Name=value, -Dname=value, e.g. "-Xmx512M -Xms512M"';
const LOGGING_ALLOWED =
    'a Fabric logging spec: a level (debug, info, warn, warning, error, dpanic, panic, fatal), optionally with per-logger levels, e.g. "INFO" or "gossip,msp=warning:info"';
const POLICY_ALLOWED =
    "allowed: a signature policy such as OR('Org1MSP.member','Org5MSP.member'), AND(...) or OutOf(n, ...) over '<MSP id>.<role>' principals";
const NOT_PEM =
    "is not a PEM private key (the file's content, from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----; a file name or a password is not one)";
const ENCRYPTED =
    "is protected by a passphrase, which nothing can type during a deployment; allowed: an unencrypted key (ssh-keygen -p -N '' -f <file> removes the passphrase of a copy)";
const longLabel = (n: number) => "a".repeat(n);

/** An OpenSSH key body with the given cipher name (the field that says whether it is encrypted). */
function opensshKey(cipher: string): string {
    const magic = Buffer.from("openssh-key-v1\0", "latin1");
    const len = Buffer.alloc(4);
    len.writeUInt32BE(cipher.length);
    const body = Buffer.concat([magic, len, Buffer.from(`${cipher}rest-of-key`, "latin1")]).toString("base64");
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`;
}

export const BAD: BadCase[] = [
    // ---- the namespace and the schema (shapes, unknown keys, types)
    {
        name: "misspelt top-level key fabric-kafka:chaincode",
        mutate: (r) => {
            r.chaincode = r.chaincodes;
            delete r.chaincodes;
        },
        path: `${NS}chaincode`,
        message: `unknown key "chaincode" in the fabric-kafka namespace; did you mean "chaincodes"? allowed: ${TOP_KEYS}`,
        count: 1,
    },
    {
        name: "misspelt top-level key fabric-kafka:image",
        mutate: (r) => (r.image = { peer: "hyperledger/fabric-peer:2.5.16" }),
        path: `${NS}image`,
        message: `unknown key "image" in the fabric-kafka namespace; did you mean "images"? allowed: ${TOP_KEYS}`,
        count: 1,
    },
    {
        name: "misspelt fabric-kafka:credential: one error naming the typo, not one per host",
        mutate: (r) => {
            r.credential = r.credentials;
            delete r.credentials;
        },
        path: `${NS}credential`,
        message: `unknown key "credential" in the fabric-kafka namespace; did you mean "credentials"? allowed: ${TOP_KEYS}`,
        count: 1,
    },
    {
        name: "misspelt required key: the typo is reported, not also the missing key",
        mutate: (r) => {
            r.organisations = r.organizations;
            delete r.organizations;
        },
        path: `${NS}organisations`,
        message: `unknown key "organisations" in the fabric-kafka namespace; did you mean "organizations"? allowed: ${TOP_KEYS}`,
        count: 1,
    },
    {
        name: "unknown top-level key with nothing close",
        mutate: (r) => (r.monitoring = true),
        path: `${NS}monitoring`,
        message: `unknown key "monitoring" in the fabric-kafka namespace; allowed: ${TOP_KEYS}`,
        count: 1,
    },
    {
        name: "a misspelt key does not hide the other problems of the run",
        mutate: (r) => {
            r.chaincode = r.chaincodes;
            delete r.chaincodes;
            r.chaincode[0].version = "1.0 beta";
            r.hosts[3].user = "Fabric";
        },
        path: `${NS}chaincodes[0].version`,
        message:
            "found \"1.0 beta\"; allowed: letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most 64 characters (Fabric's chaincode version rule)",
        count: 3,
    },
    {
        name: "key of a misspelt namespace",
        mutate: () => undefined,
        foreignKeys: ["fabric-kafak:chaincodes", "pulumi:disable-default-providers"],
        path: "fabric-kafak:chaincodes",
        message:
            "is outside the fabric-kafka namespace, so this program never reads it; did you mean fabric-kafka:chaincodes?",
        count: 1,
    },
    {
        name: "misspelt nested key",
        mutate: (r) => (r.hosts[0].adress = r.hosts[0].address),
        path: `${NS}hosts[0].adress`,
        message: 'unknown key "adress"; did you mean "address"? allowed: name, address, kind, sshPort, user, workdir',
    },
    {
        name: "unknown image key",
        mutate: (r) => (r.images = { ordererr: "x/y:1" }),
        path: `${NS}images.ordererr`,
        message:
            'unknown key "ordererr"; did you mean "orderer"? allowed: registry, zookeeper, kafka, orderer, peer, tools, chaincode, couchdb',
    },
    {
        name: "misspelt key inside a credential (case)",
        mutate: (r) => (r.credentials.kafka1 = { privatekey: testKey("kafka1") }),
        path: `${NS}credentials.kafka1.privatekey`,
        message: 'unknown key "privatekey"; did you mean "privateKey"? allowed: privateKey, password',
        count: 1,
    },
    {
        name: "misspelt enum value",
        mutate: (r) => (r.hosts[2].kind = "shh"),
        path: `${NS}hosts[2].kind`,
        message: 'found "shh"; did you mean "ssh"? allowed: "ssh", "local"',
    },
    {
        name: "unknown ordering type",
        mutate: (r) => (r.ordering.type = "solo"),
        path: `${NS}ordering.type`,
        message: 'found "solo"; allowed: "kafka", "etcdraft"',
    },
    {
        name: "ordering without a type",
        mutate: (r) => delete r.ordering.type,
        path: `${NS}ordering.type`,
        message: 'is required; allowed: "kafka", "etcdraft"',
    },
    {
        name: "misspelt ordering type",
        mutate: (r) => (r.ordering.type = "etcdraf"),
        path: `${NS}ordering.type`,
        message: 'found "etcdraf"; did you mean "etcdraft"? allowed: "kafka", "etcdraft"',
    },
    {
        name: "negative certificate expiry warning window",
        mutate: (r) => (r.network.certificateExpiryWarningDays = -1),
        path: `${NS}network.certificateExpiryWarningDays`,
        message: "found -1; allowed: at least 0",
    },
    {
        name: "readiness timeout too short to start a JVM",
        mutate: (r) => (r.network.readyTimeoutSeconds = 5),
        path: `${NS}network.readyTimeoutSeconds`,
        message: "found 5; allowed: at least 10",
    },
    {
        name: "readiness timeout above an hour",
        mutate: (r) => (r.network.readyTimeoutSeconds = 3601),
        path: `${NS}network.readyTimeoutSeconds`,
        message: "found 3601; allowed: at most 3600",
    },
    {
        name: "tls given as a list",
        mutate: (r) => (r.network.tls = [true, false]),
        path: `${NS}network.tls`,
        message: "expected boolean, found a list of 2",
    },
    {
        name: "tls given as a map",
        mutate: (r) => (r.network.tls = { enabled: true }),
        path: `${NS}network.tls`,
        message: "expected boolean, found an object",
    },
    {
        name: "tls given as null",
        mutate: (r) => (r.network.tls = null),
        path: `${NS}network.tls`,
        message: "expected boolean, found null",
    },
    {
        name: "host-key policy given as a number",
        mutate: (r) => (r.ssh = { strictHostKeyChecking: 1 }),
        path: `${NS}ssh.strictHostKeyChecking`,
        message: 'found 1; allowed: "yes", "accept-new"',
    },
    {
        name: "no organization at all",
        mutate: (r) => (r.organizations = []),
        path: `${NS}organizations`,
        message: "needs at least 1 entry, found 0",
    },
    {
        name: "fractional readiness timeout",
        mutate: (r) => (r.network.readyTimeoutSeconds = 30.5),
        path: `${NS}network.readyTimeoutSeconds`,
        message: /found 30\.5/,
    },
    {
        name: "host-key policy that disables checking",
        mutate: (r) => (r.ssh = { strictHostKeyChecking: "no" }),
        path: `${NS}ssh.strictHostKeyChecking`,
        message: 'found "no"; allowed: "yes", "accept-new"',
    },
    {
        name: "SSH port out of range",
        mutate: (r) => (r.hosts[0].sshPort = 70000),
        path: `${NS}hosts[0].sshPort`,
        message: "found 70000; allowed: at most 65535",
    },
    {
        name: "port given as text",
        mutate: (r) => (r.ordering.orderers[0].port = "7050"),
        path: `${NS}ordering.orderers[0].port`,
        message: 'expected number, found "7050"',
    },
    {
        name: "missing organisations",
        mutate: (r) => delete r.organizations,
        path: `${NS}organizations`,
        message: "is required (expected array)",
    },
    {
        name: "no hosts",
        mutate: (r) => (r.hosts = []),
        path: `${NS}hosts`,
        message: "needs at least 1 entry, found 0",
    },
    {
        name: "replication factor of zero",
        mutate: (r) => (r.ordering.kafka.replicationFactor = 0),
        path: `${NS}ordering.kafka.replicationFactor`,
        message: "found 0; allowed: at least 1",
    },
    {
        name: "batch of zero messages",
        mutate: (r) => (r.ordering.batchSize.maxMessageCount = 0),
        path: `${NS}ordering.batchSize.maxMessageCount`,
        message: "found 0; allowed: more than 0",
    },
    {
        name: "size of the wrong type",
        mutate: (r) => (r.ordering.batchSize.absoluteMaxBytes = true),
        path: `${NS}ordering.batchSize.absoluteMaxBytes`,
        message: 'found true; allowed: a size such as "10 MB", "512 KB" or a positive number of bytes',
    },
    {
        name: "channel without members",
        mutate: (r) => (r.channels[0].organizations = []),
        path: `${NS}channels[0].organizations`,
        message:
            "is empty; allowed: at least one organisation. A running channel cannot lose its last organisation (no member would be left to sign the update, nor to keep its ledger): keep one of its organisations listed",
    },

    // ---- secrecy
    {
        name: "credentials in plaintext",
        mutate: () => undefined,
        secrets: { credentials: false },
        path: `${NS}credentials`,
        message: `holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. ${setKey("credentials.zookeeper1.privateKey")}`,
    },
    {
        name: "one plaintext key among secret ones",
        mutate: () => undefined,
        secrets: { isSecretPath: (p) => !(p[1] === "kafka2" && p[2] === "privateKey") },
        path: `${NS}credentials.kafka2.privateKey`,
        message: `is stored in plaintext in the stack file (other values under fabric-kafka:credentials are secrets, so Pulumi marks the whole key secret and cannot tell); set this one as a secret too: ${setKey("credentials.kafka2.privateKey")}`,
        count: 1,
    },
    {
        name: "default credential in plaintext",
        mutate: (r) => {
            delete r.credentials;
            r.defaultCredential = { privateKey: testKey("all") };
        },
        secrets: { defaultCredential: false },
        path: `${NS}defaultCredential`,
        message: `holds the default SSH key in plaintext; set it as a secret and remove the plaintext value: ${setKey("defaultCredential.privateKey")}`,
    },
    {
        name: "credentials in plaintext, not even a map of hosts (the command names no host it cannot know)",
        mutate: (r) => (r.credentials = "ssh-ed25519-private-key-pasted-here"),
        secrets: { credentials: false },
        path: `${NS}credentials`,
        message: `holds host credentials in plaintext; store each one as a secret and remove the plaintext value, e.g. ${setKey("credentials.<host>.privateKey")}`,
    },
    {
        name: "default key in plaintext beside a secret password",
        mutate: (r) => {
            delete r.credentials;
            r.defaultCredential = { privateKey: testKey("all"), password: "p" };
        },
        secrets: { isSecretPath: (p) => !(p[0] === "defaultCredential" && p[1] === "privateKey") },
        path: `${NS}defaultCredential.privateKey`,
        message: `is stored in plaintext in the stack file (other values under fabric-kafka:defaultCredential are secrets, so Pulumi marks the whole key secret and cannot tell); set this one as a secret too: ${setKey("defaultCredential.privateKey")}`,
    },
    {
        name: "default password in plaintext (reported beside the password's own problem)",
        mutate: (r) => {
            delete r.credentials;
            r.defaultCredential = { password: "p" };
        },
        secrets: { isSecretPath: (p) => !(p[0] === "defaultCredential" && p[1] === "password") },
        path: `${NS}defaultCredential.password`,
        message: `is stored in plaintext in the stack file (other values under fabric-kafka:defaultCredential are secrets, so Pulumi marks the whole key secret and cannot tell); set this one as a secret too: ${setKey("defaultCredential.password")}`,
    },
    {
        name: "registry credentials in plaintext",
        mutate: (r) => {
            r.images = { registry: "registry.example.com" };
            r.registryAuth = { username: "u", password: "p" };
        },
        secrets: { registryAuth: false },
        path: `${NS}registryAuth`,
        message:
            "holds the registry password in plaintext; set it as a secret: pulumi config set --secret --path 'registryAuth.password' <password>",
    },
    {
        name: "registry password in plaintext beside a secret username",
        mutate: (r) => {
            r.images = { registry: "registry.example.com" };
            r.registryAuth = { username: "u", password: "p" };
        },
        secrets: { isSecretPath: (p) => (p[0] === "registryAuth" ? p[1] !== "password" : true) },
        path: `${NS}registryAuth.password`,
        message:
            "is stored in plaintext in the stack file (other values under fabric-kafka:registryAuth are secrets, so Pulumi marks the whole key secret and cannot tell); set this one as a secret too: pulumi config set --secret --path 'registryAuth.password' <password>",
    },

    // ---- hosts and credentials
    {
        name: "missing credential",
        mutate: (r) => delete r.credentials.kafka3,
        path: `${NS}credentials.kafka3`,
        message: `host "kafka3" (hosts[5]) has no credential and no defaultCredential is set; set its SSH private key as a secret: ${setKey("credentials.kafka3.privateKey")}`,
        count: 1,
    },
    {
        name: "no credential anywhere: one error, not one per host",
        mutate: (r) => delete r.credentials,
        path: `${NS}defaultCredential`,
        message: `is not set and no ssh host has a credential of its own (13 hosts: ${ALL_HOSTS}); set one SSH private key shared by all of them: ${setKey("defaultCredential.privateKey")} (a host with another key gets its own entry: credentials.<host>.privateKey)`,
        count: 1,
    },
    {
        name: "the only ssh host without a credential: the error is at its own entry",
        base: "local",
        mutate: (r) => {
            r.hosts.push({ name: "spare", address: "192.0.2.99" });
            r.ordering.kafka.brokers[0].host = "spare";
        },
        path: `${NS}credentials.spare`,
        message: `host "spare" (hosts[1]) has no credential and no defaultCredential is set; set its SSH private key as a secret: ${setKey("credentials.spare.privateKey")}`,
        count: 1,
    },
    {
        name: "misspelt host in credentials: one error naming the typo",
        mutate: (r) => {
            r.credentials.kafak1 = r.credentials.kafka1;
            delete r.credentials.kafka1;
        },
        path: `${NS}credentials.kafak1`,
        message: `names no host; did you mean "kafka1"? allowed: ${ALL_HOSTS}`,
        count: 1,
    },
    {
        name: "misspelt override beside a default credential",
        mutate: (r) => {
            r.defaultCredential = { privateKey: testKey("all") };
            r.credentials = { "orderer-0": { privateKey: testKey("o") } };
        },
        path: `${NS}credentials.orderer-0`,
        message: `names no host; did you mean "orderer0"? allowed: ${ALL_HOSTS} (a misspelt entry would leave its host on defaultCredential)`,
        count: 1,
    },
    {
        name: "credential for a host that does not exist",
        mutate: (r) => (r.credentials.backup = { privateKey: testKey("backup") }),
        path: `${NS}credentials.backup`,
        message: `names no host; allowed: ${ALL_HOSTS}`,
    },
    {
        name: "both a key and a password",
        mutate: (r) => (r.credentials.kafka1.password = "x"),
        path: `${NS}credentials.kafka1`,
        message: "has both privateKey and password; allowed: exactly one (a private key is preferred)",
    },
    {
        name: "password credential (Docker over SSH cannot answer a password prompt)",
        mutate: (r) => (r.credentials.kafka1 = { password: "s3cret-value" }),
        path: `${NS}credentials.kafka1`,
        message: `is a password; the Docker connection to host "kafka1" needs key authentication. Install a public key on the host and set the private key instead: ${setKey("credentials.kafka1.privateKey")}`,
    },
    {
        name: "empty credential",
        mutate: (r) => (r.credentials.kafka1 = {}),
        path: `${NS}credentials.kafka1`,
        message: `is empty; allowed: privateKey (an SSH private key), set with ${setKey("credentials.kafka1.privateKey")}`,
    },
    {
        name: "a key file's name instead of its content",
        mutate: (r) => (r.credentials.kafka2.privateKey = "~/.ssh/id_ed25519"),
        path: `${NS}credentials.kafka2.privateKey`,
        message: `${NOT_PEM}; set it with ${setKey("credentials.kafka2.privateKey")}`,
    },
    {
        name: "a public key instead of the private key",
        mutate: (r) => (r.credentials.kafka2.privateKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI operator@laptop"),
        path: `${NS}credentials.kafka2.privateKey`,
        message: `is a public key (one line starting with the key type); allowed: the private key file's content; set it with ${setKey("credentials.kafka2.privateKey")}`,
    },
    {
        name: "a passphrase-protected OpenSSH key",
        mutate: (r) => (r.credentials.kafka2.privateKey = opensshKey("aes256-ctr")),
        path: `${NS}credentials.kafka2.privateKey`,
        message: `${ENCRYPTED}; set it with ${setKey("credentials.kafka2.privateKey")}`,
    },
    {
        name: "a passphrase-protected PEM key",
        mutate: (r) =>
            (r.credentials.kafka3.privateKey =
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----"),
        path: `${NS}credentials.kafka3.privateKey`,
        message: `${ENCRYPTED}; set it with ${setKey("credentials.kafka3.privateKey")}`,
    },
    {
        name: "an OpenSSH armour around something else",
        mutate: (r) =>
            (r.credentials.kafka2.privateKey =
                "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----"),
        path: `${NS}credentials.kafka2.privateKey`,
        message: `is not a readable OpenSSH private key (its body does not start with openssh-key-v1); set it with ${setKey("credentials.kafka2.privateKey")}`,
    },
    {
        name: "a password as the default credential",
        mutate: (r) => {
            delete r.credentials;
            r.defaultCredential = { password: "hunter2" };
        },
        path: `${NS}defaultCredential`,
        message: `is a password; the Docker connection to every ssh host without its own entry needs key authentication. Install a public key on the host and set the private key instead: ${setKey("defaultCredential.privateKey")}`,
        count: 1,
    },
    {
        name: "a default credential that is not a key",
        mutate: (r) => {
            delete r.credentials;
            r.defaultCredential = { privateKey: "hunter2" };
        },
        path: `${NS}defaultCredential.privateKey`,
        message: `${NOT_PEM}; set it with ${setKey("defaultCredential.privateKey")}`,
        count: 1,
    },
    {
        name: "duplicate host name",
        mutate: (r) => (r.hosts[1].name = "zookeeper1"),
        path: `${NS}hosts[1].name`,
        message: 'duplicate host name "zookeeper1", already used by hosts[0]',
    },
    {
        name: "duplicate host address",
        mutate: (r) => (r.hosts[2].address = "192.0.2.11"),
        path: `${NS}hosts[2].address`,
        message:
            'duplicate address "192.0.2.11", already used by hosts[0] (zookeeper1); two roles on one machine share one host entry',
    },
    {
        name: "malformed IPv4 address",
        mutate: (r) => (r.hosts[3].address = "192.0.2.300"),
        path: `${NS}hosts[3].address`,
        message: 'found "192.0.2.300"; allowed: an IPv4 address (e.g. 192.0.2.11) or a DNS name',
    },
    {
        name: "address that is no DNS name",
        mutate: (r) => (r.hosts[4].address = "kafka 2!"),
        path: `${NS}hosts[4].address`,
        message: 'found "kafka 2!"; allowed: an IPv4 address (e.g. 192.0.2.11) or a DNS name',
    },
    {
        name: "invalid host name",
        mutate: (r) => {
            r.hosts[0].name = "Zoo_1";
            r.ordering.zookeeper[0].host = "Zoo_1";
            r.credentials.Zoo_1 = r.credentials.zookeeper1;
            delete r.credentials.zookeeper1;
        },
        path: `${NS}hosts[0].name`,
        message: "found \"Zoo_1\"; allowed: lower-case letters, digits and '-', 1-63 characters",
    },
    {
        name: "two local hosts",
        mutate: (r) => {
            r.hosts[0].kind = "local";
            r.hosts[1].kind = "local";
        },
        path: `${NS}hosts[1].kind`,
        message:
            '"zookeeper2" is a second local host (the first is "zookeeper1"); allowed: one local host, with every local role on it',
    },
    {
        name: "SSH user carrying a command",
        mutate: (r) => (r.hosts[5].user = "fabric$(touch /tmp/x)"),
        path: `${NS}hosts[5].user`,
        message: `found "fabric$(touch /tmp/x)"; allowed: ${USER_ALLOWED}`,
    },
    {
        name: "SSH user that reads as an ssh option",
        mutate: (r) => (r.hosts[5].user = "-oProxyCommand=sh"),
        path: `${NS}hosts[5].user`,
        message: `found "-oProxyCommand=sh"; allowed: ${USER_ALLOWED}`,
    },
    {
        name: "SSH user with an @",
        mutate: (r) => (r.hosts[5].user = "fabric@203.0.113.9"),
        path: `${NS}hosts[5].user`,
        message: `found "fabric@203.0.113.9"; allowed: ${USER_ALLOWED}`,
    },
    {
        name: "relative workdir",
        mutate: (r) => (r.hosts[7].workdir = "fabric"),
        path: `${NS}hosts[7].workdir`,
        message: `found "fabric"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "workdir with a space",
        mutate: (r) => (r.hosts[7].workdir = "/srv/fabric data"),
        path: `${NS}hosts[7].workdir`,
        message: `found "/srv/fabric data"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "relative workdir (it would land wherever the script's shell starts)",
        mutate: (r) => (r.hosts[7].workdir = "srv/fabric"),
        path: `${NS}hosts[7].workdir`,
        message: `found "srv/fabric"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "workdir climbing out with ..",
        mutate: (r) => (r.hosts[7].workdir = "/srv/../etc"),
        path: `${NS}hosts[7].workdir`,
        message: `found "/srv/../etc"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "workdir carrying a command",
        mutate: (r) => (r.hosts[7].workdir = "/srv/$(reboot)"),
        path: `${NS}hosts[7].workdir`,
        message: `found "/srv/$(reboot)"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "workdir with a . segment",
        mutate: (r) => (r.hosts[7].workdir = "/srv/./fabric"),
        path: `${NS}hosts[7].workdir`,
        message: `found "/srv/./fabric"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "workdir / itself",
        mutate: (r) => (r.hosts[7].workdir = "/"),
        path: `${NS}hosts[7].workdir`,
        message: `found "/"; allowed: ${WORKDIR_ALLOWED}`,
    },
    {
        name: "unknown host referenced by a broker",
        mutate: (r) => (r.ordering.kafka.brokers[2].host = "kafka9"),
        path: `${NS}ordering.kafka.brokers[2].host`,
        message: `unknown host "kafka9"; did you mean "kafka1"? allowed: ${ALL_HOSTS}`,
    },
    {
        name: "unknown host referenced by a ZooKeeper node",
        mutate: (r) => (r.ordering.zookeeper[0].host = "nowhere"),
        path: `${NS}ordering.zookeeper[0].host`,
        message: `unknown host "nowhere"; allowed: ${ALL_HOSTS}`,
    },
    {
        name: "unknown host referenced by an orderer",
        mutate: (r) => (r.ordering.orderers[1].host = "nowhere"),
        path: `${NS}ordering.orderers[1].host`,
        message: `unknown host "nowhere"; allowed: ${ALL_HOSTS}`,
    },
    {
        name: "a broker moved from an unknown host",
        mutate: (r) => (r.ordering.kafka.brokers[3] = { host: "peer0-org1", movedFrom: "kafka44" }),
        path: `${NS}ordering.kafka.brokers[3].movedFrom`,
        message: `unknown host "kafka44"; did you mean "kafka4"? allowed: ${ALL_HOSTS}`,
    },
    {
        name: "a broker moved from its own host",
        mutate: (r) => (r.ordering.kafka.brokers[3].movedFrom = "kafka4"),
        path: `${NS}ordering.kafka.brokers[3].movedFrom`,
        message:
            'is the node\'s own host "kafka4"; allowed: the host kafka4 ran on before its move, another than "host"',
        count: 1,
    },
    {
        name: "a broker moved while the ordering migrates",
        mutate: (r) => {
            r.ordering.type = "etcdraft";
            r.ordering.kafka.brokers[3] = { host: "peer0-org1", movedFrom: "kafka4" };
        },
        path: `${NS}ordering.kafka.brokers[3].movedFrom`,
        message:
            "moves kafka4 while the ordering migrates to etcdraft; allowed: moves on a network that is not migrating (finish the move, remove movedFrom, then migrate)",
        count: 1,
    },
    {
        name: "an orderer moved from its own host",
        mutate: (r) => (r.ordering.orderers[1].movedFrom = r.ordering.orderers[1].host),
        path: `${NS}ordering.orderers[1].movedFrom`,
        message:
            'is the node\'s own host "orderer1"; allowed: the host orderer1 ran on before its move, another than "host"',
        count: 1,
    },
    {
        name: "an orderer moved while the ordering migrates",
        mutate: (r) => {
            r.ordering.type = "etcdraft";
            r.ordering.orderers[2] = { ...r.ordering.orderers[2], host: "peer0-org1", movedFrom: "orderer2" };
        },
        path: `${NS}ordering.orderers[2].movedFrom`,
        message:
            "moves orderer2 while the ordering migrates to etcdraft; allowed: moves on a network that is not migrating (finish the move, remove movedFrom, then migrate)",
        count: 1,
    },
    {
        name: "unknown host referenced by a peer",
        mutate: (r) => (r.organizations[1].peers[0].host = "nowhere"),
        path: `${NS}organizations[1].peers[0].host`,
        message: `unknown host "nowhere"; allowed: ${ALL_HOSTS}`,
    },

    // ---- ordering: ZooKeeper and Kafka
    {
        name: "even ZooKeeper count",
        mutate: (r) => r.ordering.zookeeper.pop(),
        path: `${NS}ordering.zookeeper`,
        message: "has 2 nodes; allowed: an odd number (3, 5 or 7) so the ensemble keeps a majority",
    },
    {
        name: "zero ZooKeeper nodes",
        mutate: (r) => (r.ordering.zookeeper = []),
        path: `${NS}ordering.zookeeper`,
        message: "has 0 nodes; allowed: an odd number (3, 5 or 7) so the ensemble keeps a majority",
    },
    {
        name: "two roles needing the same port on one host",
        mutate: (r) => {
            r.ordering.kafka.brokers[0].host = "zookeeper1";
            r.ordering.kafka.brokers[0].port = 2181;
        },
        path: `${NS}ordering.kafka.brokers[0].port`,
        message:
            'port 2181 on host "zookeeper1" is already used by zookeeper1 client port (fabric-kafka:ordering.zookeeper[0].clientPort); give one of them another port',
    },
    {
        name: "ZooKeeper election port equal to its quorum port",
        mutate: (r) => (r.ordering.zookeeper[1].electionPort = 2888),
        path: `${NS}ordering.zookeeper[1].electionPort`,
        message:
            'port 2888 on host "zookeeper2" is already used by zookeeper2 quorum port (fabric-kafka:ordering.zookeeper[1].quorumPort); give one of them another port',
    },
    {
        name: "ZooKeeper quorum port equal to its client port",
        mutate: (r) => (r.ordering.zookeeper[2].quorumPort = 2181),
        path: `${NS}ordering.zookeeper[2].quorumPort`,
        message:
            'port 2181 on host "zookeeper3" is already used by zookeeper3 client port (fabric-kafka:ordering.zookeeper[2].clientPort); give one of them another port',
    },
    {
        name: "an orderer on a broker's host and port",
        mutate: (r) => {
            r.ordering.orderers[0].host = "kafka1";
            r.ordering.orderers[0].port = 9092;
        },
        path: `${NS}ordering.orderers[0].port`,
        message:
            'port 9092 on host "kafka1" is already used by kafka1 (fabric-kafka:ordering.kafka.brokers[0].port); give one of them another port',
    },
    {
        name: "a peer on an orderer's host and port",
        mutate: (r) => {
            r.organizations[0].peers[0].host = "orderer0";
            r.organizations[0].peers[0].port = 7050;
        },
        path: `${NS}organizations[0].peers[0].port`,
        message:
            'port 7050 on host "orderer0" is already used by orderer0.example.com (fabric-kafka:ordering.orderers[0].port); give one of them another port',
    },
    {
        name: "replication factor equal to the broker count",
        mutate: (r) => (r.ordering.kafka.replicationFactor = 4),
        path: `${NS}ordering.kafka.replicationFactor`,
        message:
            "(4) must be less than the broker count (4), so that channel creation survives one broker down; allowed: 1..3",
    },
    {
        name: "min in-sync replicas equal to the replication factor",
        mutate: (r) => (r.ordering.kafka.minInsyncReplicas = 3),
        path: `${NS}ordering.kafka.minInsyncReplicas`,
        message: "(3) must be less than the replication factor (3); allowed: 1..2",
    },
    {
        name: "time-based Kafka retention",
        mutate: (r) => (r.ordering.kafka.retentionMs = 604800000),
        path: `${NS}ordering.kafka.retentionMs`,
        message: "found 604800000; allowed: -1 (orderers never prune Kafka logs; any retention would delete blocks)",
    },
    {
        name: "Kafka message limit not above the block size",
        mutate: (r) => (r.ordering.kafka.messageMaxBytes = "10 MB"),
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message:
            "(10485760) must be above batchSize.absoluteMaxBytes (10485760) by at least 1 MiB for record headers; allowed: 11534336 or more",
    },
    {
        name: "the old runbook's 99 MB blocks with 103809024-byte broker limits",
        mutate: (r) => {
            r.ordering.batchSize.absoluteMaxBytes = "99 MB";
            r.ordering.kafka.messageMaxBytes = 103809024;
            r.ordering.kafka.replicaFetchMaxBytes = 103809024;
        },
        path: `${NS}ordering.kafka.replicaFetchMaxBytes`,
        message:
            "(103809024) must be at least batchSize.absoluteMaxBytes + 1 MiB (104857600) or blocks cannot replicate",
    },
    {
        name: "replica fetch size above the message size",
        mutate: (r) => {
            r.ordering.kafka.messageMaxBytes = "12 MB";
            r.ordering.kafka.replicaFetchMaxBytes = "13 MB";
        },
        path: `${NS}ordering.kafka.replicaFetchMaxBytes`,
        message: "(13631488) must not exceed messageMaxBytes (12582912)",
    },
    {
        name: "message limit not below the socket request limit",
        mutate: (r) => {
            r.ordering.kafka.messageMaxBytes = "100 MB";
            r.ordering.kafka.replicaFetchMaxBytes = "20 MB";
        },
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message: "(104857600) must be less than socketRequestMaxBytes (104857600)",
    },
    {
        name: "unreadable size",
        mutate: (r) => (r.ordering.batchSize.absoluteMaxBytes = "ten megs"),
        path: `${NS}ordering.batchSize.absoluteMaxBytes`,
        message: 'found "ten megs"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "Kafka message size beyond a 32-bit int",
        mutate: (r) => {
            r.ordering.kafka.messageMaxBytes = "3 GB";
            r.ordering.kafka.replicaFetchMaxBytes = "20 MB";
            r.ordering.kafka.socketRequestMaxBytes = 2147483647;
        },
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message: "(3221225472) is above 2147483647; allowed: at most 2147483647 bytes (Kafka reads it as a 32-bit int)",
    },
    {
        name: "unreadable messageMaxBytes",
        mutate: (r) => (r.ordering.kafka.messageMaxBytes = "lots"),
        path: `${NS}ordering.kafka.messageMaxBytes`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "unreadable replicaFetchMaxBytes",
        mutate: (r) => (r.ordering.kafka.replicaFetchMaxBytes = "lots"),
        path: `${NS}ordering.kafka.replicaFetchMaxBytes`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "unreadable socketRequestMaxBytes",
        mutate: (r) => (r.ordering.kafka.socketRequestMaxBytes = "lots"),
        path: `${NS}ordering.kafka.socketRequestMaxBytes`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "unreadable preferredMaxBytes",
        mutate: (r) => (r.ordering.batchSize.preferredMaxBytes = "lots"),
        path: `${NS}ordering.batchSize.preferredMaxBytes`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "Kafka protocol version with a prefix",
        mutate: (r) => (r.ordering.kafka.protocolVersion = "v1.0.0"),
        path: `${NS}ordering.kafka.protocolVersion`,
        message:
            'found "v1.0.0"; allowed: a Kafka version of 3 or 4 numbers from 0.8.2 up, e.g. "1.0.0" (what Fabric\'s orderer accepts as Kafka.Version)',
    },
    {
        name: "Kafka protocol version with a suffix",
        mutate: (r) => (r.ordering.kafka.protocolVersion = "1.0.0-rc1"),
        path: `${NS}ordering.kafka.protocolVersion`,
        message:
            'found "1.0.0-rc1"; allowed: a Kafka version of 3 or 4 numbers from 0.8.2 up, e.g. "1.0.0" (what Fabric\'s orderer accepts as Kafka.Version)',
    },
    {
        name: "Kafka socket request limit beyond a 32-bit int",
        mutate: (r) => (r.ordering.kafka.socketRequestMaxBytes = "2 GB"),
        path: `${NS}ordering.kafka.socketRequestMaxBytes`,
        message: "(2147483648) is above 2147483647; allowed: at most 2147483647 bytes (Kafka reads it as a 32-bit int)",
    },
    {
        name: "ZooKeeper session timeout below two ticks",
        mutate: (r) => (r.ordering.kafka.zookeeperSessionTimeoutMs = 1000),
        path: `${NS}ordering.kafka.zookeeperSessionTimeoutMs`,
        message:
            "found 1000; allowed: 4000..40000 (ZooKeeper grants 2 to 20 ticks of 2000 ms and silently clamps anything else)",
    },
    {
        name: "ZooKeeper session timeout beyond twenty ticks",
        mutate: (r) => (r.ordering.kafka.zookeeperSessionTimeoutMs = 4294967296),
        path: `${NS}ordering.kafka.zookeeperSessionTimeoutMs`,
        message:
            "found 4294967296; allowed: 4000..40000 (ZooKeeper grants 2 to 20 ticks of 2000 ms and silently clamps anything else)",
    },
    {
        name: "heap options carrying a command",
        mutate: (r) => (r.ordering.kafka.heapOpts = "-Xmx512M; touch /tmp/x"),
        path: `${NS}ordering.kafka.heapOpts`,
        message: `found "-Xmx512M; touch /tmp/x": "-Xmx512M;" is not a JVM option this program passes on; allowed: ${HEAP_ALLOWED}`,
    },
    {
        name: "initial heap above the maximum",
        mutate: (r) => (r.ordering.kafka.heapOpts = "-Xmx512M -Xms1G"),
        path: `${NS}ordering.kafka.heapOpts`,
        message: `found "-Xmx512M -Xms1G": the initial heap -Xms1G is larger than the maximum -Xmx512M, which the JVM refuses; allowed: ${HEAP_ALLOWED}`,
    },
    {
        name: "heap too small for a broker",
        mutate: (r) => (r.ordering.kafka.heapOpts = "-Xmx16M"),
        path: `${NS}ordering.kafka.heapOpts`,
        message: `found "-Xmx16M": -Xmx16M is below 64 MiB, too small for a broker to start; allowed: ${HEAP_ALLOWED}`,
    },
    {
        name: "heap options with a double space",
        mutate: (r) => (r.ordering.kafka.heapOpts = "-Xmx512M  -Xms512M"),
        path: `${NS}ordering.kafka.heapOpts`,
        message: `found "-Xmx512M  -Xms512M": options must be separated by single spaces; allowed: ${HEAP_ALLOWED}`,
    },
    {
        name: "Kafka protocol version of two numbers",
        mutate: (r) => (r.ordering.kafka.protocolVersion = "1.0"),
        path: `${NS}ordering.kafka.protocolVersion`,
        message:
            'found "1.0"; allowed: a Kafka version of 3 or 4 numbers from 0.8.2 up, e.g. "1.0.0" (what Fabric\'s orderer accepts as Kafka.Version)',
    },
    {
        name: "Kafka protocol version older than Fabric accepts",
        mutate: (r) => (r.ordering.kafka.protocolVersion = "0.8.1.1"),
        path: `${NS}ordering.kafka.protocolVersion`,
        message:
            'found "0.8.1.1"; allowed: a Kafka version of 3 or 4 numbers from 0.8.2 up, e.g. "1.0.0" (what Fabric\'s orderer accepts as Kafka.Version)',
    },

    // ---- ordering: batches and orderers
    {
        name: "batch timeout without a unit",
        mutate: (r) => (r.ordering.batchTimeout = "2"),
        path: `${NS}ordering.batchTimeout`,
        message: 'found "2"; allowed: a duration such as "2s", "500ms" or "1m"',
    },
    {
        name: "zero batch timeout",
        mutate: (r) => (r.ordering.batchTimeout = "0s"),
        path: `${NS}ordering.batchTimeout`,
        message: 'found "0s"; allowed: a positive duration such as "2s" (Fabric refuses a zero batch timeout)',
    },
    {
        name: "preferred batch size above the absolute maximum",
        mutate: (r) => (r.ordering.batchSize.preferredMaxBytes = "20 MB"),
        path: `${NS}ordering.batchSize.preferredMaxBytes`,
        message: "(20971520 bytes) must not exceed absoluteMaxBytes (10485760 bytes)",
    },
    {
        name: "blocks above what gRPC and the Kafka producer carry",
        mutate: (r) => {
            r.ordering.batchSize.absoluteMaxBytes = "100 MB";
            r.ordering.kafka.messageMaxBytes = "101 MB";
            r.ordering.kafka.socketRequestMaxBytes = "200 MB";
        },
        path: `${NS}ordering.batchSize.absoluteMaxBytes`,
        message:
            "(104857600 bytes) is above 103809024 (99 MB); allowed: at most 99 MB, because orderers and peers refuse messages above 100 MiB and a block needs 1 MiB of headroom",
    },
    {
        name: "batch message count beyond 32 bits",
        mutate: (r) => (r.ordering.batchSize.maxMessageCount = 4294967296),
        path: `${NS}ordering.batchSize.maxMessageCount`,
        message: "found 4294967296; allowed: 1..4294967295 (a 32-bit field in the channel configuration)",
    },
    {
        name: "no orderers",
        mutate: (r) => (r.ordering.orderers = []),
        path: `${NS}ordering.orderers`,
        message: "needs at least 1 orderer, found 0",
    },
    {
        name: "invalid orderer name",
        mutate: (r) => (r.ordering.orderers[1].name = "Orderer_1"),
        path: `${NS}ordering.orderers[1].name`,
        message: "found \"Orderer_1\"; allowed: lower-case letters, digits and '-'",
    },
    {
        name: "duplicate orderer name",
        mutate: (r) => (r.ordering.orderers[1].name = "orderer0"),
        path: `${NS}ordering.orderers[1].name`,
        message: 'duplicate orderer name "orderer0"',
    },
    {
        name: "orderer operations port equal to its listen port",
        mutate: (r) => (r.ordering.orderers[2].operationsPort = 7050),
        path: `${NS}ordering.orderers[2].operationsPort`,
        message:
            'port 7050 is already the listen port (fabric-kafka:ordering.orderers[2].port) inside container "orderer2.example.com"; allowed: any other port',
    },
    {
        name: "orderer host name longer than Linux allows",
        mutate: (r) => (r.ordering.orderers[0].name = longLabel(60)),
        path: `${NS}ordering.orderers[0].name`,
        message: `makes the orderer container's host name "${longLabel(60)}.example.com" 72 characters long; allowed: at most 64 (Linux's limit), so shorten the name or the domain`,
    },

    // ---- organisations and peers
    {
        name: "orderer org name with a space",
        mutate: (r) => (r.network.ordererOrg.name = "Orderer Org"),
        path: `${NS}network.ordererOrg.name`,
        message: `found "Orderer Org"; allowed: ${CONFIG_ID}`,
    },
    {
        name: "orderer MSP id with an underscore (policies cannot name it)",
        mutate: (r) => (r.network.ordererOrg.mspId = "Orderer_MSP"),
        path: `${NS}network.ordererOrg.mspId`,
        message: `found "Orderer_MSP"; allowed: ${CONFIG_ID}`,
    },
    {
        name: "orderer domain with upper case",
        mutate: (r) => (r.network.ordererOrg.domain = "Example.com"),
        path: `${NS}network.ordererOrg.domain`,
        message: 'found "Example.com"; allowed: a lower-case DNS domain such as example.com',
    },
    {
        name: "organisation name with a space",
        mutate: (r) => (r.organizations[0].name = "Org 1"),
        path: `${NS}organizations[0].name`,
        message: `found "Org 1"; allowed: ${CONFIG_ID}`,
    },
    {
        name: "MSP id with an underscore",
        mutate: (r) => (r.organizations[1].mspId = "Org5_MSP"),
        path: `${NS}organizations[1].mspId`,
        message: `found "Org5_MSP"; allowed: ${CONFIG_ID}`,
    },
    {
        name: "MSP id that reads as an option",
        mutate: (r) => (r.organizations[1].mspId = "-Org5MSP"),
        path: `${NS}organizations[1].mspId`,
        message: `found "-Org5MSP"; allowed: ${CONFIG_ID}`,
    },
    {
        name: "duplicate MSP id",
        mutate: (r) => (r.organizations[1].mspId = "Org1MSP"),
        path: `${NS}organizations[1].mspId`,
        message: 'duplicate MSP id "Org1MSP", already used by fabric-kafka:organizations[0].mspId',
    },
    {
        name: "peer org reusing the orderer MSP id",
        mutate: (r) => (r.organizations[0].mspId = "OrdererMSP"),
        path: `${NS}organizations[0].mspId`,
        message: 'duplicate MSP id "OrdererMSP", already used by fabric-kafka:network.ordererOrg.mspId',
    },
    {
        name: "duplicate organisation name",
        mutate: (r) => (r.organizations[1].name = "Org1"),
        path: `${NS}organizations[1].name`,
        message: 'duplicate organisation name "Org1", already used by organizations[0]',
    },
    {
        name: "organisation domain that is no DNS name",
        mutate: (r) => (r.organizations[1].domain = "org5 example"),
        path: `${NS}organizations[1].domain`,
        message: 'found "org5 example"; allowed: a lower-case DNS domain such as org1.example.com',
    },
    {
        name: "duplicate domain",
        mutate: (r) => (r.organizations[1].domain = "org1.example.com"),
        path: `${NS}organizations[1].domain`,
        message: 'duplicate domain "org1.example.com", already used by fabric-kafka:organizations[0].domain',
    },
    {
        name: "an organisation on the orderer organisation's domain",
        mutate: (r) => (r.organizations[1].domain = "example.com"),
        path: `${NS}organizations[1].domain`,
        message: 'duplicate domain "example.com", already used by fabric-kafka:network.ordererOrg.domain',
    },
    {
        name: "organisation without peers",
        mutate: (r) => {
            r.organizations[0].peers = [];
            r.organizations[0].anchorPeers = [];
        },
        path: `${NS}organizations[0].peers`,
        message: "needs at least 1 peer, found 0",
    },
    {
        name: "anchor peer that is not a peer of the org",
        mutate: (r) => (r.organizations[1].anchorPeers = ["baz"]),
        path: `${NS}organizations[1].anchorPeers[0]`,
        message: 'unknown peer "baz"; did you mean "bar"? allowed: foo27, bar',
    },
    {
        name: "duplicate peer name in an org",
        mutate: (r) => {
            r.organizations[1].peers[1].name = "foo27";
            r.organizations[1].anchorPeers = ["foo27"];
        },
        path: `${NS}organizations[1].peers[1].name`,
        message: 'duplicate peer name "foo27" in organisation Org5',
    },
    {
        name: "invalid peer name",
        mutate: (r) => {
            r.organizations[0].peers[0].name = "peer.0";
            r.organizations[0].anchorPeers = ["peer.0"];
        },
        path: `${NS}organizations[0].peers[0].name`,
        message: "found \"peer.0\"; allowed: lower-case letters, digits and '-'",
    },
    {
        name: "two peers on one host with default ports",
        mutate: (r) => (r.organizations[1].peers[1].host = "foo27-org5"),
        path: `${NS}organizations[1].peers[1].port`,
        message:
            'port 7051 on host "foo27-org5" is already used by foo27.org5.example.com (fabric-kafka:organizations[1].peers[0].port); give one of them another port',
    },
    {
        name: "peer operations port equal to its listen port",
        mutate: (r) => (r.organizations[0].peers[0].operationsPort = 7051),
        path: `${NS}organizations[0].peers[0].operationsPort`,
        message:
            'port 7051 is already the listen port (fabric-kafka:organizations[0].peers[0].port) inside container "peer0.org1.example.com"; allowed: any other port',
    },
    {
        name: "peer listening on the chaincode port",
        mutate: (r) => (r.organizations[0].peers[0].port = 7052),
        path: `${NS}organizations[0].peers[0].port`,
        message:
            'port 7052 is already the chaincode listen port (fixed) inside container "peer0.org1.example.com"; allowed: any other port',
    },
    {
        name: "peer operations on the chaincode port",
        mutate: (r) => (r.organizations[1].peers[0].operationsPort = 7052),
        path: `${NS}organizations[1].peers[0].operationsPort`,
        message:
            'port 7052 is already the chaincode listen port (fixed) inside container "foo27.org5.example.com"; allowed: any other port',
    },
    {
        name: "peer name making the CLI host name too long",
        mutate: (r) => {
            r.organizations[1].peers[0].name = longLabel(44);
            r.organizations[1].anchorPeers = ["bar"];
        },
        path: `${NS}organizations[1].peers[0].name`,
        message: `makes the CLI container's host name "cli.${longLabel(44)}.org5.example.com" 65 characters long; allowed: at most 64 (Linux's limit), so shorten the name or the domain`,
    },
    {
        name: "CouchDB peer whose CouchDB host name is too long",
        mutate: (r) => {
            r.organizations[1].peers[0].name = longLabel(40);
            r.organizations[1].peers[0].stateDatabase = "couchdb";
            r.organizations[1].anchorPeers = ["bar"];
        },
        path: `${NS}organizations[1].peers[0].name`,
        message: `makes the CouchDB container's host name "couchdb.${longLabel(40)}.org5.example.com" 65 characters long; allowed: at most 64 (Linux's limit), so shorten the name or the domain`,
    },

    // ---- network-wide settings
    {
        name: "logging level Fabric does not know",
        mutate: (r) => (r.network.logging = "VERBOSE"),
        path: `${NS}network.logging`,
        message: `found "VERBOSE": unknown level "VERBOSE"; allowed: ${LOGGING_ALLOWED}`,
    },
    {
        name: "logging spec carrying a command",
        mutate: (r) => (r.network.logging = "info;$(id)"),
        path: `${NS}network.logging`,
        message: `found "info;$(id)": unknown level "info;$(id)"; allowed: ${LOGGING_ALLOWED}`,
    },
    {
        name: "logging spec with a bad logger name",
        mutate: (r) => (r.network.logging = "gos sip=debug:info"),
        path: `${NS}network.logging`,
        message: `found "gos sip=debug:info": logger name "gos sip" is not one; allowed: ${LOGGING_ALLOWED}`,
    },
    {
        name: "logging spec with two default levels",
        mutate: (r) => (r.network.logging = "info:debug"),
        path: `${NS}network.logging`,
        message: `found "info:debug": more than one default level; allowed: ${LOGGING_ALLOWED}`,
    },
    {
        name: "logging term with two '='",
        mutate: (r) => (r.network.logging = "gossip=msp=debug"),
        path: `${NS}network.logging`,
        message: `found "gossip=msp=debug": term "gossip=msp=debug" has more than one '='; allowed: ${LOGGING_ALLOWED}`,
    },
    {
        name: "consortium name with a space",
        mutate: (r) => (r.network.consortium = "Sample Consortium"),
        path: `${NS}network.consortium`,
        message: `found "Sample Consortium"; allowed: ${CONFIG_ID}`,
    },

    // ---- channels
    {
        name: "system channel name with upper case",
        mutate: (r) => (r.network.systemChannel = "SystemChannel"),
        path: `${NS}network.systemChannel`,
        message: "found \"SystemChannel\"; allowed: lower-case letters, digits, '.' and '-', starting with a letter",
    },
    {
        name: "channel naming an unknown org",
        mutate: (r) => r.channels[0].organizations.push("Org9"),
        path: `${NS}channels[0].organizations[2]`,
        message: 'unknown organisation "Org9"; did you mean "Org1"? allowed: Org1, Org5',
    },
    {
        name: "channel listing an org twice",
        mutate: (r) => r.channels[0].organizations.push("Org5"),
        path: `${NS}channels[0].organizations[2]`,
        message: 'lists organisation "Org5" twice; allowed: each member once',
    },
    {
        name: "channel named like the system channel",
        mutate: (r) => (r.channels[0].name = "system-channel"),
        path: `${NS}channels[0].name`,
        message: '"system-channel" is the system channel\'s name (network.systemChannel); allowed: any other name',
    },
    {
        name: "upper-case channel name",
        mutate: (r) => (r.channels[0].name = "MyChannel"),
        path: `${NS}channels[0].name`,
        message: "found \"MyChannel\"; allowed: lower-case letters, digits, '.' and '-', starting with a letter",
    },
    {
        name: "duplicate channel",
        mutate: (r) => r.channels.push({ ...r.channels[0] }),
        path: `${NS}channels[1].name`,
        message: 'duplicate channel "mychannel"',
    },

    // ---- chaincodes
    {
        name: "invalid chaincode name",
        mutate: (r) => (r.chaincodes[0].name = "my cc"),
        path: `${NS}chaincodes[0].name`,
        message: "found \"my cc\"; allowed: letters and digits, separated by single '-' or '_'",
    },
    {
        name: "two chaincodes with the same name (was: the step graph has a cycle)",
        mutate: (r) => r.chaincodes.push({ ...r.chaincodes[0], version: "2.0" }),
        path: `${NS}chaincodes[1].name`,
        message:
            'duplicate chaincode name "mycc", already used by chaincodes[0]; allowed: one entry per chaincode (change its version to upgrade it)',
        count: 1,
    },
    {
        name: "chaincode version carrying a command",
        mutate: (r) => (r.chaincodes[0].version = "1.0$(touch /tmp/x)"),
        path: `${NS}chaincodes[0].version`,
        message:
            "found \"1.0$(touch /tmp/x)\"; allowed: letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most 64 characters (Fabric's chaincode version rule)",
    },
    {
        name: "chaincode version that reads as an option",
        mutate: (r) => (r.chaincodes[0].version = "-1"),
        path: `${NS}chaincodes[0].version`,
        message:
            "found \"-1\"; allowed: letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most 64 characters (Fabric's chaincode version rule)",
    },
    {
        name: "chaincode on an unknown channel",
        mutate: (r) => (r.chaincodes[0].channel = "mychanel"),
        path: `${NS}chaincodes[0].channel`,
        message: 'unknown channel "mychanel"; did you mean "mychannel"? allowed: mychannel',
        // Not also the policy's MSPs: they are members of no channel the chaincode could be on.
        count: 1,
    },
    {
        name: "chaincode when no channel is configured",
        mutate: (r) => (r.channels = []),
        path: `${NS}chaincodes[0].channel`,
        message: 'unknown channel "mychannel"; allowed: (no channels configured)',
        count: 1,
    },
    {
        name: "endorsement policy naming an unknown MSP",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member','Org7MSP.member')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message:
            'names unknown MSP "Org7MSP"; did you mean "Org1MSP"? allowed: Org1MSP, Org5MSP. To take an organisation out of channel "mychannel", change this policy so it no longer names it and raise chaincodes[0].sequence (to 2) in the same change',
    },
    {
        name: "an org taken out of its channel while the endorsement policy still names it",
        mutate: (r) => {
            r.channels[0].organizations = ["Org1"];
            r.chaincodes[0].sequence = 4;
        },
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message:
            'names unknown MSP "Org5MSP"; did you mean "Org1MSP"? allowed: Org1MSP. To take an organisation out of channel "mychannel", change this policy so it no longer names it and raise chaincodes[0].sequence (to 5) in the same change',
    },
    {
        name: "endorsement policy naming an unknown role",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.owner','Org5MSP.member')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: 'names unknown role "owner" for Org1MSP; allowed: member, peer, admin, client, orderer',
    },
    {
        name: "endorsement policy that does not parse",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "Org1MSP.member"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: `found "Org1MSP.member" (expected AND(, OR(, OutOf( or a quoted principal at character 1); ${POLICY_ALLOWED}`,
    },
    {
        name: "endorsement policy with a command after it",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member'); touch /tmp/x"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: `found "OR('Org1MSP.member'); touch /tmp/x" (unexpected text after the policy at character 21); ${POLICY_ALLOWED}`,
    },
    {
        name: "endorsement policy with a quote inside a principal",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OR('Org1MSP.member\\'')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: `found "OR('Org1MSP.member\\\\'')" (principal "Org1MSP.member\\\\" is not '<MSP id>.<role>' at character 4); ${POLICY_ALLOWED}`,
    },
    {
        name: "OutOf that can never be satisfied",
        mutate: (r) => (r.chaincodes[0].endorsementPolicy = "OutOf(3, 'Org1MSP.member', 'Org5MSP.member')"),
        path: `${NS}chaincodes[0].endorsementPolicy`,
        message: `found "OutOf(3, 'Org1MSP.member', 'Org5MSP.member')" (OutOf(3, ...) of 2 can never be satisfied at character 45); ${POLICY_ALLOWED}`,
    },
    {
        name: "new lifecycle on Fabric 1.4",
        mutate: (r) => (r.network.fabricVersion = "1.4"),
        path: `${NS}chaincodes[0].lifecycle`,
        message: '"v2" needs Fabric 2.x, but network.fabricVersion is "1.4"; allowed: "legacy"',
    },
    {
        name: "legacy chaincode on Fabric 1.4 (no external builder there)",
        mutate: (r) => {
            r.network.fabricVersion = "1.4";
            r.chaincodes[0].lifecycle = "legacy";
        },
        path: `${NS}chaincodes[0].lifecycle`,
        message:
            'chaincode on Fabric 1.4 needs the peer to build it through a Docker socket, which this program never mounts; allowed: network.fabricVersion "2.5" with lifecycle "legacy" (a V1_4_2 channel) or "v2"',
    },
    {
        name: "sequence on a legacy chaincode",
        mutate: (r) => {
            r.chaincodes[0].lifecycle = "legacy";
            r.chaincodes[0].sequence = 2;
        },
        path: `${NS}chaincodes[0].sequence`,
        message:
            'found 2, but the "legacy" lifecycle has no sequence: a new version alone upgrades it; allowed: no sequence (or lifecycle "v2")',
    },
    {
        name: "two lifecycles on one channel",
        mutate: (r) => r.chaincodes.push({ ...r.chaincodes[0], name: "other", lifecycle: "legacy" }),
        path: `${NS}chaincodes`,
        message:
            'channel "mychannel" mixes "v2" and "legacy" lifecycles; allowed: one lifecycle per channel (it sets the channel\'s Application capability)',
    },
    {
        name: "init function carrying a command",
        mutate: (r) => (r.chaincodes[0].init.function = "init$(id)"),
        path: `${NS}chaincodes[0].init.function`,
        message:
            "found \"init$(id)\"; allowed: a function name of letters, digits, '_', '.', ':' and '-', starting with a letter or '_', at most 128 characters",
    },
    {
        name: "verify function that reads as an option",
        mutate: (r) => (r.chaincodes[0].verify.function = "--help"),
        path: `${NS}chaincodes[0].verify.function`,
        message:
            "found \"--help\"; allowed: a function name of letters, digits, '_', '.', ':' and '-', starting with a letter or '_', at most 128 characters",
    },
    {
        name: "init argument with a NUL",
        mutate: (r) => (r.chaincodes[0].init.args[1] = "1\u00000"),
        path: `${NS}chaincodes[0].init.args[1]`,
        message: "contains a NUL character; allowed: any text without NUL",
    },
    {
        name: "chaincode name making its server's host name too long",
        mutate: (r) => (r.chaincodes[0].name = longLabel(42)),
        path: `${NS}chaincodes[0].name`,
        message: `makes the chaincode server's host name "${longLabel(42)}.peer0.org1.example.com" 65 characters long; allowed: at most 64 (Linux's limit), so shorten the name or the domain`,
    },

    // ---- images and the registry
    {
        name: "image without a pinned tag",
        mutate: (r) => (r.images = { peer: "hyperledger/fabric-peer" }),
        path: `${NS}images.peer`,
        message:
            'found "hyperledger/fabric-peer"; allowed: a reference with a pinned tag or digest, e.g. hyperledger/fabric-peer:2.5.0 (untagged or "latest" floats)',
    },
    {
        name: "image on latest",
        mutate: (r) => (r.images = { kafka: "hyperledger/fabric-kafka:latest" }),
        path: `${NS}images.kafka`,
        message:
            'found "hyperledger/fabric-kafka:latest"; allowed: a reference with a pinned tag or digest, e.g. apache/kafka:3.9.1 (untagged or "latest" floats)',
    },
    {
        name: "image name with upper case",
        mutate: (r) => (r.images = { orderer: "Hyperledger/fabric-orderer:2.5.16" }),
        path: `${NS}images.orderer`,
        message:
            'found "Hyperledger/fabric-orderer:2.5.16"; allowed: a Docker image reference ([registry/]name[:tag][@digest], lower-case name), e.g. hyperledger/fabric-orderer:2.5.0',
    },
    {
        name: "image reference carrying a command",
        mutate: (r) => (r.images = { tools: "hyperledger/fabric-tools:2.5.16;$(id)" }),
        path: `${NS}images.tools`,
        message:
            'found "hyperledger/fabric-tools:2.5.16;$(id)"; allowed: a Docker image reference ([registry/]name[:tag][@digest], lower-case name), e.g. hyperledger/fabric-tools:2.5.0',
    },
    {
        name: "registry prefix given as a URL",
        mutate: (r) => (r.images = { registry: "https://registry.example.com" }),
        path: `${NS}images.registry`,
        message:
            'found "https://registry.example.com"; allowed: a registry host with an optional port and repository path, e.g. "registry.example.com:5000/fabric"',
    },
    {
        name: "image that the prefix pushes past Docker's name limit",
        mutate: (r) =>
            (r.images = { registry: `registry.example.com/${"r".repeat(120)}`, peer: `${"p".repeat(120)}:1` }),
        path: `${NS}images.peer`,
        message: `found "${"p".repeat(120)}:1", which under images.registry becomes "registry.example.com/${"r".repeat(120)}/${"p".repeat(120)}:1", not a valid reference; allowed: a reference that stays valid under the prefix (at most 255 characters of name)`,
    },
    {
        name: "registry credentials without a registry",
        mutate: (r) => (r.registryAuth = { username: "u", password: "p" }),
        path: `${NS}registryAuth`,
        message:
            "is set but images.registry is not, so no registry would receive it; allowed: registryAuth together with images.registry",
    },

    // ---- ssh and tools
    {
        name: "known-hosts file with a space",
        mutate: (r) => (r.ssh = { knownHostsFile: "/home/op/my hosts", strictHostKeyChecking: "yes" }),
        path: `${NS}ssh.knownHostsFile`,
        message:
            "found \"/home/op/my hosts\"; allowed: one absolute path (or ~/...) of letters, digits, '.', '_', '-' and '/', e.g. ~/.ssh/fabric_known_hosts",
    },
    {
        name: "relative known-hosts file",
        mutate: (r) => (r.ssh = { knownHostsFile: "known_hosts", strictHostKeyChecking: "yes" }),
        path: `${NS}ssh.knownHostsFile`,
        message:
            "found \"known_hosts\"; allowed: one absolute path (or ~/...) of letters, digits, '.', '_', '-' and '/', e.g. ~/.ssh/fabric_known_hosts",
    },
    {
        name: "known-hosts file with ssh's % tokens",
        mutate: (r) => (r.ssh = { knownHostsFile: "~/.ssh/%h_hosts", strictHostKeyChecking: "yes" }),
        path: `${NS}ssh.knownHostsFile`,
        message:
            "found \"~/.ssh/%h_hosts\"; allowed: one absolute path (or ~/...) of letters, digits, '.', '_', '-' and '/', e.g. ~/.ssh/fabric_known_hosts",
    },
    {
        name: "tools mode misspelt",
        mutate: (r) => (r.tools = { mode: "dokcer" }),
        path: `${NS}tools.mode`,
        message: 'found "dokcer"; did you mean "docker"? allowed: "docker", "path"',
    },

    // ---- ordering: the etcdraft variant (on dev ordered by Raft)
    {
        name: "etcdraft with TLS off",
        base: "raft",
        mutate: (r) => (r.network.tls = false),
        path: `${NS}network.tls`,
        message:
            'is false, but ordering.type "etcdraft" needs TLS: Raft orderers authenticate each other by their TLS certificates; allowed: true (the default)',
    },
    {
        name: "two Raft consenters",
        base: "raft",
        mutate: (r) => r.ordering.orderers.pop(),
        path: `${NS}ordering.orderers`,
        message:
            'has 2 orderers; with "etcdraft" both must be up to order anything, so no failure is tolerated; allowed: 1 (no fault tolerance, for development) or 3 or more (3 tolerates one failure)',
    },
    {
        name: "zero Raft tick interval",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { tickInterval: "0ms" }),
        path: `${NS}ordering.etcdraft.tickInterval`,
        message: 'found "0ms"; allowed: a positive duration such as "500ms" or "1s"',
    },
    {
        name: "Raft tick interval without a unit",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { tickInterval: "500" }),
        path: `${NS}ordering.etcdraft.tickInterval`,
        message: 'found "500"; allowed: a positive duration such as "500ms" or "1s"',
    },
    {
        name: "Raft election tick not above the heartbeat tick",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { electionTick: 2, heartbeatTick: 2 }),
        path: `${NS}ordering.etcdraft.electionTick`,
        message:
            "(2) must be greater than heartbeatTick (2), or followers start elections between two heartbeats; allowed: 3 or more (default 10)",
    },
    {
        name: "zero Raft heartbeat tick",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { heartbeatTick: 0 }),
        path: `${NS}ordering.etcdraft.heartbeatTick`,
        message: "found 0; allowed: an integer of at least 1",
    },
    {
        name: "zero Raft in-flight blocks",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { maxInflightBlocks: 0 }),
        path: `${NS}ordering.etcdraft.maxInflightBlocks`,
        message: "found 0; allowed: an integer of at least 1",
    },
    {
        name: "unreadable Raft snapshot interval",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { snapshotIntervalSize: "lots" }),
        path: `${NS}ordering.etcdraft.snapshotIntervalSize`,
        message: 'found "lots"; allowed: a size such as "10 MB", "512 KB" or a number of bytes',
    },
    {
        name: "Raft snapshot interval beyond 32 bits",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { snapshotIntervalSize: "4 GB" }),
        path: `${NS}ordering.etcdraft.snapshotIntervalSize`,
        message: "(4294967296 bytes) is too large; allowed: up to 4294967295 bytes (just under 4 GB)",
    },
    {
        name: "misspelt Raft option",
        base: "raft",
        mutate: (r) => (r.ordering.etcdraft = { electionTicks: 10 }),
        path: `${NS}ordering.etcdraft.electionTicks`,
        message:
            'unknown key "electionTicks"; did you mean "electionTick"? allowed: tickInterval, electionTick, heartbeatTick, maxInflightBlocks, snapshotIntervalSize',
    },
    {
        name: "a Kafka section without its ZooKeeper section under etcdraft",
        base: "raft",
        mutate: (r) => (r.ordering.kafka = { brokers: [] }),
        path: `${NS}ordering.zookeeper`,
        message:
            'is missing: a Kafka network migrating to "etcdraft" keeps both its ordering.zookeeper and ordering.kafka sections (the backend being left); allowed: both, or neither for a new Raft network',
    },
    {
        name: "a migration section without a Kafka network",
        base: "raft",
        mutate: (r) => (r.ordering.migration = { abort: true }),
        path: `${NS}ordering.migration`,
        message:
            'is set, but there is no Kafka network to migrate: keep the ordering.zookeeper and ordering.kafka sections of the Kafka network while it migrates to "etcdraft"; allowed: no migration section on a new Raft network',
    },
    {
        name: "a misspelt migration setting",
        base: "raft",
        mutate: (r) => (r.ordering.migration = { rollback: true }),
        path: `${NS}ordering.migration.rollback`,
        message: 'unknown key "rollback"; allowed: abort, removeBackendVolumes',
    },
];

export const WARN: WarnCase[] = [
    {
        name: "a single ZooKeeper node",
        mutate: (r) => {
            r.ordering.zookeeper = [r.ordering.zookeeper[0]];
        },
        warning: "ordering.zookeeper has 1 node: the ensemble is a single point of failure (3, 5 or 7 recommended)",
    },
    {
        name: "nine ZooKeeper nodes",
        mutate: (r) => {
            r.ordering.zookeeper = Array.from({ length: 9 }, (_, i) => ({
                host: "zookeeper1",
                clientPort: 3000 + i * 3,
                quorumPort: 3001 + i * 3,
                electionPort: 3002 + i * 3,
            }));
        },
        warning: "ordering.zookeeper has 9 nodes: more than 7 adds latency without benefit",
    },
    {
        name: "fewer than 4 brokers",
        mutate: (r) => {
            r.ordering.kafka.brokers.pop();
            r.ordering.kafka.replicationFactor = 2;
            r.ordering.kafka.minInsyncReplicas = 1;
        },
        warning:
            "ordering.kafka.brokers has 3 brokers: Fabric recommends at least 4 so one broker can fail while channels stay writable",
    },
    {
        name: "replication below 3 / 2",
        mutate: (r) => {
            r.ordering.kafka.replicationFactor = 2;
            r.ordering.kafka.minInsyncReplicas = 1;
        },
        warning: "ordering.kafka replicationFactor 2 / minInsyncReplicas 1: the recommended minimum is 3 / 2",
    },
    {
        name: "unclean leader election",
        mutate: (r) => (r.ordering.kafka.uncleanLeaderElection = true),
        warning:
            "ordering.kafka.uncleanLeaderElection is on: a broker outside the ISR may become leader and rewrite the chain",
    },
    {
        name: "a host that runs no role",
        mutate: (r) => {
            r.hosts.push({ name: "spare", address: "192.0.2.99", user: "fabric" });
            r.credentials.spare = { privateKey: testKey("spare") };
        },
        warning: "host spare runs no role",
    },
    {
        name: "a default credential with no ssh host",
        stack: "local",
        mutate: (r) => (r.defaultCredential = { privateKey: testKey("x") }),
        warning: "defaultCredential is set but no host is of kind ssh: nothing uses it",
    },
    {
        name: "a single Raft consenter",
        stack: "raft",
        mutate: (r) => (r.ordering.orderers = r.ordering.orderers.slice(0, 1)),
        warning:
            "ordering.orderers has 1 orderer: a single Raft consenter tolerates no failure (3 or more recommended)",
    },
    {
        name: "an even number of Raft consenters",
        stack: "raft",
        mutate: (r) => {
            r.hosts.push({ ...r.hosts[0], name: "orderer3", address: "192.0.2.99" });
            r.credentials.orderer3 = { privateKey: testKey("orderer3") };
            r.ordering.orderers.push({ name: "orderer3", host: "orderer3" });
        },
        warning:
            "ordering.orderers has 4 orderers: an even number of Raft consenters tolerates 1 failure, no more than 3 would",
    },
    {
        name: "pinned known hosts that still accept new keys",
        mutate: (r) => (r.ssh = { knownHostsFile: "~/.ssh/fabric_known_hosts" }),
        warning:
            "ssh.knownHostsFile is set with strictHostKeyChecking accept-new: unknown host keys are still trusted on first use and added to it; set strictHostKeyChecking yes to accept only the pinned keys",
    },
];
