/**
 * Hostile values against every string the configuration holds. For every string field of the raw config schema
 * (enumerated from the zod schema, so a new field is covered without touching this file) and every payload,
 * either validation refuses the value with an error at that field's path, or the value is accepted and every
 * script the program builds from it runs for real under `sh`, through the same layers as in a deployment
 * (the operator's shell → ssh → the host's shell → docker exec → the CLI container's shell), with stand-in
 * `ssh`, `docker`, `peer`, `configtxlator` and `jq` on PATH, and the marker file the payload would create never
 * appears. A second test skips validation: it appends the payload to every string of a valid spec and runs
 * the same scripts, so the quoting holds even for a value validation would let through one day.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, NetworkSpec, configPath, validateConfig } from "../../config";
import { rawConfigSchema } from "../../config/schema";
import * as plan from "../../plan";
import { SECRET, clone, raftRaw, rawStackConfig, testKey, withTestCredentials } from "../support/stacks";

type Seg = string | number | { key: true };
interface StringField {
    readonly path: readonly Seg[];
    /** The ordering variant the field belongs to, when it is under one. */
    readonly variant?: string;
}

/** Every place a string can sit in the raw config: string leaves, strings inside unions, and record keys. */
function stringFields(schema: z.ZodType): StringField[] {
    const out: StringField[] = [];
    const walk = (s: z.ZodType, at: Seg[], variant?: string): void => {
        if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return walk(s.unwrap() as z.ZodType, at, variant);
        if (s instanceof z.ZodString) {
            out.push({ path: at, ...(variant ? { variant } : {}) });
            return;
        }
        if (s instanceof z.ZodObject) {
            for (const [k, v] of Object.entries(s.shape)) walk(v, [...at, k], variant);
            return;
        }
        if (s instanceof z.ZodArray) return walk(s.element as z.ZodType, [...at, 0], variant);
        if (s instanceof z.ZodRecord) {
            out.push({ path: [...at, { key: true }], ...(variant ? { variant } : {}) });
            return walk(s.valueType as z.ZodType, [...at, "zookeeper1"], variant);
        }
        if (s instanceof z.ZodDiscriminatedUnion) {
            const key = s._zod.def.discriminator;
            for (const o of s.options as z.ZodObject[]) {
                const lit = (o.shape as Record<string, z.ZodType>)[key] as z.ZodLiteral;
                walk(o, at, String(lit.value));
            }
            return;
        }
        if (s instanceof z.ZodUnion) {
            for (const o of s.options as z.ZodType[]) walk(o, at, variant);
            return;
        }
        // Enums, literals, numbers and booleans hold no free text.
    };
    walk(schema, []);
    const seen = new Set<string>();
    return out.filter((f) => {
        const id = JSON.stringify(f);
        return seen.has(id) ? false : (seen.add(id), true);
    });
}

const show = (p: readonly Seg[]) => p.map((s) => (typeof s === "object" ? "<key>" : String(s))).join(".");

/** dev (or dev on Raft) with every optional string field filled, so that every field has a value to attack. */
function fullRaw(variant: string | undefined): Record<string, any> {
    const raw = clone(withTestCredentials(variant === "etcdraft" ? raftRaw("dev") : rawStackConfig("dev"))) as any;
    // A Kafka network whose ordering.type was changed to etcdraft: the Kafka sections stay, as the backend left.
    if (variant === "migrating") raw.ordering = { ...raw.ordering, type: "etcdraft", migration: { abort: false } };
    raw.network = {
        ...raw.network,
        systemChannel: "system-channel",
        consortium: "SampleConsortium",
        logging: "INFO",
        ordererOrg: { name: "OrdererOrg", mspId: "OrdererMSP", domain: "example.com" },
    };
    raw.hosts[0] = { ...raw.hosts[0], user: "fabric", workdir: "/var/lib/fabric-kafka" };
    raw.credentials.zookeeper1 = { privateKey: testKey("zookeeper1") };
    raw.defaultCredential = { privateKey: testKey("default") };
    if (variant === "etcdraft" || variant === "migrating") {
        raw.ordering.etcdraft = { tickInterval: "500ms", snapshotIntervalSize: "16 MB" };
    }
    if (variant !== "etcdraft") {
        raw.ordering.kafka = {
            ...raw.ordering.kafka,
            heapOpts: "-Xmx512M -Xms512M",
            protocolVersion: "1.0.0",
            messageMaxBytes: "11 MB",
            replicaFetchMaxBytes: "11 MB",
            socketRequestMaxBytes: "100 MB",
        };
    }
    raw.ordering.batchTimeout = "2s";
    raw.ordering.batchSize = { ...raw.ordering.batchSize, absoluteMaxBytes: "10 MB", preferredMaxBytes: "512 KB" };
    raw.chaincodes[0].verify = { function: "query", args: ["A"], expect: "10" };
    raw.images = {
        registry: "registry.example.com",
        zookeeper: "hyperledger/fabric-zookeeper:0.4.22",
        kafka: "hyperledger/fabric-kafka:0.4.22",
        orderer: "hyperledger/fabric-orderer:2.5.16",
        peer: "hyperledger/fabric-peer:2.5.16",
        tools: "hyperledger/fabric-tools:2.5.16",
        chaincode: "fabrickafka/mycc:1.0",
        couchdb: "couchdb:3.4.2",
    };
    raw.registryAuth = { username: "deployer", password: "registry-password" };
    raw.ssh = { knownHostsFile: "~/.ssh/fabric_known_hosts", strictHostKeyChecking: "yes" };
    return raw;
}

/** Puts `payload` into the field: appended to the value there, or the value itself; a record key is renamed. */
function inject(raw: Record<string, any>, field: StringField, payload: string): (string | number)[] {
    let cur: any = raw;
    const concrete: (string | number)[] = [];
    for (let i = 0; i < field.path.length; i++) {
        const seg = field.path[i]!;
        const last = i === field.path.length - 1;
        if (typeof seg === "object") {
            const [old] = Object.keys(cur);
            const renamed = `${old}${payload}`;
            cur[renamed] = cur[old!];
            delete cur[old!];
            concrete.push(renamed);
            return concrete;
        }
        concrete.push(seg);
        if (last) {
            cur[seg] = typeof cur[seg] === "string" ? `${cur[seg]}${payload}` : payload;
        } else {
            if (cur[seg] === undefined || cur[seg] === null) cur[seg] = typeof field.path[i + 1] === "number" ? [] : {};
            cur = cur[seg];
        }
    }
    return concrete;
}

// ---- the stand-ins and the runner

let dir: string;
let bin: string;
let marker: string;
let argvLog: string;
const EMPTY_TGZ = gzipSync(Buffer.alloc(1024)).toString("base64");

const STANDINS: Record<string, string> = {
    // Logs its words, one per line between markers, and succeeds with no output.
    // A joined peer's ledger is reported high enough at once, so the catch-up wait ends on its first check.
    peer: [
        "#!/bin/sh",
        'for a in "$@"; do printf \'%s\\n\' "$a" >> "$ARGV_LOG"; done',
        'if [ "$1 $2" = "channel getinfo" ]; then echo \'Blockchain info: {"height":1000}\'; fi',
        "exit 0",
        "",
    ].join("\n"),
    configtxlator: `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "$ARGV_LOG"; done\nexit 0\n`,
    jq: `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "$ARGV_LOG"; done\nexit 1\n`,
    sleep: `#!/bin/sh\nexit 0\n`,
    // docker exec [-i] NAME sh -c SCRIPT runs SCRIPT in a shell, as the CLI container would, with the container's
    // /work (CLI paths) mapped into the scratch folder; anything else is logged.
    docker: [
        "#!/bin/sh",
        'for a in "$@"; do printf \'%s\\n\' "$a" >> "$ARGV_LOG"; done',
        'if [ "$1" = exec ]; then shift; [ "$1" = -i ] && shift; shift; [ "$1" = sh ] && [ "$2" = -c ] || exit 2',
        '  exec sh -c "$(printf \'%s\' "$3" | sed "s#/work/#$SCRATCH/work/#g")"',
        "fi",
        "exit 0",
        "",
    ].join("\n"),
    // ssh [options] -- HOST SCRIPT: the remote sshd hands SCRIPT to the user's shell as one string.
    ssh: [
        "#!/bin/sh",
        'for a in "$@"; do printf \'%s\\n\' "$a" >> "$ARGV_LOG"; done',
        'while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done',
        '[ "$1" = -- ] || { echo "ssh: no -- before the destination" >&2; exit 255; }',
        'shift; shift; exec sh -c "$1"',
        "",
    ].join("\n"),
};

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-hostile-"));
    bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const [name, body] of Object.entries(STANDINS)) fs.writeFileSync(path.join(bin, name), body, { mode: 0o755 });
    marker = path.join(dir, "PWNED");
    argvLog = path.join(dir, "argv.log");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PAYLOADS = (m: string) => [
    `$(touch ${m})`,
    `\`touch ${m}\``,
    `'; touch ${m}; '`,
    `"; touch ${m}; "`,
    `\ntouch ${m}\n`,
    `;touch ${m} #`,
];

interface Run {
    readonly name: string;
    readonly script: string;
    readonly stdin?: string;
    readonly env?: Record<string, string>;
}

/**
 * Every script the program builds from a spec, as the operator's machine runs it: steps on a host through that
 * host's shell line (ssh for a remote host), CLI steps through docker exec, operator-side steps directly. The
 * list must name every exported `*Script` and `*Command` builder of plan/ (checked below).
 */
function everyScript(spec: NetworkSpec): { runs: Run[]; builders: Set<string> } {
    const used = new Set<string>();
    const b = <T extends unknown[]>(name: keyof typeof plan, f: (...a: T) => string, ...a: T) => {
        used.add(name);
        return f(...a);
    };
    const keyFiles = Object.fromEntries(spec.hosts.map((h) => [h.name, path.join(dir, `key of ${h.name}`)]));
    const shell = plan.hostShell(spec, keyFiles);
    used.add("hostShell");
    // hostShell builds the ssh line of every remote host with sshCommand.
    if (spec.hosts.some((h) => h.kind === "ssh")) used.add("sshCommand");
    const onHost = (host: string, script: string) => shell(host, script);
    const inCli = (p: NetworkSpec["organizations"][number]["peers"][number], script: string, stdin = false) => {
        used.add("inCli");
        return onHost(p.host, plan.inCli(p, script, stdin));
    };
    const runs: Run[] = [];
    for (const ch of spec.channels) {
        const lead = plan.channelLeadPeer(spec, ch.name);
        runs.push({
            name: `create ${ch.name}`,
            script: inCli(lead, b("channelCreateScript", plan.channelCreateScript, spec, ch)),
        });
        // The membership update: the previous step's control lines carry every member as data.
        const control = [
            `MEMBERS ${plan
                .channelOrgs(spec, ch)
                .map((o) => o.mspId)
                .join(" ")}`,
            "NEEDED 1",
            "ENVELOPE AAAA",
            "",
        ].join("\n");
        runs.push({
            name: `members compute ${ch.name}`,
            script: inCli(lead, b("membershipComputeScript", plan.membershipComputeScript, spec, ch), true),
            stdin: "{}",
        });
        for (const org of plan.membershipSigners(spec, ch)) {
            runs.push({
                name: `members sign ${ch.name} ${org.mspId}`,
                script: inCli(org.peers[0]!, b("membershipSignScript", plan.membershipSignScript, ch, org), true),
                stdin: control,
            });
        }
        runs.push({
            name: `members submit ${ch.name}`,
            script: inCli(lead, b("membershipSubmitScript", plan.membershipSubmitScript, spec, ch), true),
            stdin: control,
        });
        for (const org of plan.channelOrgs(spec, ch)) {
            for (const p of org.peers) {
                runs.push({
                    name: `join ${p.fqdn}`,
                    script: inCli(p, b("channelJoinScript", plan.channelJoinScript, spec, ch, p)),
                });
            }
            runs.push({
                name: `anchors ${org.mspId}`,
                script: inCli(org.peers[0]!, b("anchorUpdateScript", plan.anchorUpdateScript, spec, ch, org)),
            });
        }
    }
    for (const cc of spec.chaincodes) {
        const ch = plan.chaincodeChannel(spec, cc);
        const lead = plan.channelLeadPeer(spec, cc.channel);
        for (const org of plan.channelOrgs(spec, ch)) {
            for (const p of org.peers) {
                runs.push({
                    name: `install ${cc.name} on ${p.fqdn}`,
                    script: inCli(p, b("ccInstallScript", plan.ccInstallScript, cc, p), true),
                    stdin: b("ccPackageBase64", (c: typeof cc) => plan.ccPackageBase64(c), cc),
                });
                runs.push({
                    name: `legacy install ${cc.name} on ${p.fqdn}`,
                    script: inCli(p, b("ccLegacyInstallScript", plan.ccLegacyInstallScript, cc, p), true),
                    stdin: b("ccLegacySourceBase64", (c: typeof cc) => plan.ccLegacySourceBase64(c), cc),
                });
            }
            runs.push({
                name: `approve ${cc.name} ${org.mspId}`,
                script: inCli(org.peers[0]!, b("ccApproveScript", plan.ccApproveScript, spec, cc, org)),
            });
        }
        runs.push({
            name: `commit ${cc.name}`,
            script: inCli(lead, b("ccCommitScript", plan.ccCommitScript, spec, cc)),
        });
        runs.push({ name: `init ${cc.name}`, script: inCli(lead, b("ccInitScript", plan.ccInitScript, spec, cc)) });
        runs.push({
            name: `instantiate ${cc.name}`,
            script: inCli(lead, b("ccInstantiateScript", plan.ccInstantiateScript, spec, cc)),
        });
        runs.push({
            name: `query ${cc.name}`,
            script: inCli(lead, b("ccQueryCommand", plan.ccQueryCommand, cc, "query", ["A"])),
        });
        runs.push({
            name: `invoke ${cc.name}`,
            script: inCli(lead, b("ccInvokeCommand", plan.ccInvokeCommand, spec, cc, "invoke", ["A", "B", "1"])),
        });
        if (cc.verify) {
            for (const org of plan.channelOrgs(spec, ch)) {
                runs.push({
                    name: `verify ${cc.name} ${org.mspId}`,
                    script: b("verifyCommand", plan.verifyCommand, cc, org.peers[0]!, shell),
                });
            }
        }
        if (cc.init?.args.length === 4) {
            runs.push({
                name: `cross-org ${cc.name}`,
                script: b("crossOrgTestScript", plan.crossOrgTestScript, spec, cc, shell),
            });
        }
    }
    for (const h of spec.hosts.filter((x) => x.kind === "ssh")) {
        runs.push({
            name: `probe ${h.name}`,
            script: b("probeCommand", plan.probeCommand, h, spec.ssh, keyFiles[h.name]!),
        });
    }
    // A broker's carry between two ssh hosts (a move), streamed through this machine.
    const broker = [...plan.containersByHost(spec).values()].flat().find((c) => c.role === "kafka");
    const [first, second] = spec.hosts.filter((x) => x.kind === "ssh");
    if (broker && first && second) {
        runs.push({
            name: `carry ${broker.name}`,
            script: b(
                "carryScript",
                plan.carryScript,
                spec,
                broker,
                { host: first, keyFile: keyFiles[first.name]! },
                { host: second, keyFile: keyFiles[second.name]! },
                "meta.properties",
            ),
        });
    }
    const roles = new Set<string>();
    for (const c of [...plan.containersByHost(spec).values()].flat()) {
        if (!c.readiness || roles.has(c.role)) continue;
        roles.add(c.role);
        runs.push({
            name: `readiness of ${c.name}`,
            script: onHost(
                c.host,
                b("readinessScript", plan.readinessScript, c.name, c.host, { ...c.readiness, timeoutSeconds: 0 }),
            ),
        });
    }
    // The peer's start command interpolates nothing of the configuration; it runs here so every builder is covered.
    runs.push({
        name: "peer start",
        script: b("peerStartCommand", () => plan.peerStartCommand()[2]!),
        env: { FABRIC_CFG_PATH: dir },
    });
    runs.push({
        name: "crypto",
        script: b("cryptoScript", plan.cryptoScript, spec),
        env: { CRYPTO_CONFIG: "x: 1", IDENTITIES: "peer x" },
    });
    runs.push({
        name: "artifacts",
        script: b("artifactsScript", plan.artifactsScript, spec, plan.genesisProfile(spec), plan.channelProfile),
        stdin: EMPTY_TGZ,
        env: { CONFIGTX: "x: 1" },
    });
    runs.push({
        name: "bundle",
        script: b("bundleScript", plan.bundleScript),
        stdin: `${EMPTY_TGZ}\n${EMPTY_TGZ}\n`,
        env: { MANIFEST: "" },
    });
    for (const h of spec.hosts) {
        runs.push({
            name: `deliver ${h.name}`,
            script: onHost(h.name, b("deliverScript", plan.deliverScript, h.workdir)),
            stdin: EMPTY_TGZ,
        });
        runs.push({
            name: `undeliver ${h.name}`,
            script: onHost(h.name, b("undeliverScript", plan.undeliverScript, h.workdir)),
        });
    }
    return { runs, builders: used };
}

/** Runs one script under sh; resolves when it ends, however it ends. Asynchronous: the worker stays responsive. */
function sh(r: Run): Promise<void> {
    return new Promise((resolve) => {
        const child = execFile(
            "sh",
            ["-c", r.script],
            {
                cwd: dir,
                env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ARGV_LOG: argvLog, SCRATCH: dir, ...r.env },
                timeout: 60_000,
            },
            // A script may fail against stand-ins that answer nothing; only what it executed matters here.
            () => resolve(),
        );
        // A script that exits before reading its input closes the pipe: that is not an error here.
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(r.stdin ?? "");
    });
}

/** Runs every script; returns the names of those after which the marker existed. */
async function runAll(spec: NetworkSpec): Promise<{ pwned: string[]; log: string }> {
    fs.rmSync(marker, { force: true });
    fs.writeFileSync(argvLog, "");
    const pwned: string[] = [];
    for (const r of everyScript(spec).runs) {
        await sh(r);
        if (fs.existsSync(marker)) {
            pwned.push(r.name);
            fs.rmSync(marker);
        }
    }
    return { pwned, log: fs.readFileSync(argvLog, "utf8") };
}

/** Workdirs point into the scratch folder: delivery unpacks there when its script runs for real. */
function scratchWorkdirs(spec: NetworkSpec): NetworkSpec {
    return { ...spec, hosts: spec.hosts.map((h) => ({ ...h, workdir: `${dir}/wd-${h.name}` })) };
}

/**
 * Under etcdraft, the ZooKeeper, Kafka and migration sections exist only on a Kafka network being migrated:
 * their fields are attacked on that configuration (the "migrating" variant).
 */
const FIELDS = stringFields(rawConfigSchema).map((f) =>
    f.variant === "etcdraft" && typeof f.path[1] === "string" && ["zookeeper", "kafka", "migration"].includes(f.path[1])
        ? { ...f, variant: "migrating" }
        : f,
);

describe("hostile values in every string field of the configuration", () => {
    it("finds the schema's string fields (a new field joins by itself)", () => {
        const names = FIELDS.map((f) => show(f.path));
        expect(names).toEqual(expect.arrayContaining(["hosts.0.user", "hosts.0.workdir", "chaincodes.0.version"]));
        expect(names).toContain("credentials.<key>");
        expect(names).toContain("ordering.etcdraft.tickInterval");
        expect(FIELDS.length).toBeGreaterThan(50);
        console.log(`string fields: ${FIELDS.length}`);
    });

    it("every field either refuses every payload at its own path, or runs every script without executing it", async () => {
        const refusedWithoutPath: string[] = [];
        // Per payload and ordering variant, the fields that accepted it: they are run together, in one config.
        const accepted = new Map<string, StringField[]>();
        for (const field of FIELDS) {
            await new Promise((r) => setImmediate(r));
            for (const [i, payload] of PAYLOADS(marker).entries()) {
                const raw = fullRaw(field.variant);
                const at = configPath(inject(raw, field, payload));
                try {
                    validateConfig(raw, SECRET);
                } catch (e) {
                    if (!(e instanceof ConfigError)) throw e;
                    // The error names the field itself, its parent object (a credential) or a value inside it.
                    const named = e.issues.some(
                        (x) => x.path === at || at.startsWith(`${x.path}.`) || x.path.startsWith(`${at}.`),
                    );
                    if (!named) refusedWithoutPath.push(`${show(field.path)} ${JSON.stringify(payload)}: ${e.message}`);
                    continue;
                }
                const key = `${i} ${field.variant ?? "kafka"}`;
                accepted.set(key, [...(accepted.get(key) ?? []), field]);
            }
        }
        expect(refusedWithoutPath).toEqual([]);

        const executed: string[] = [];
        for (const [key, fields] of accepted) {
            const [i, variant] = key.split(" ") as [string, string];
            const payload = PAYLOADS(marker)[Number(i)]!;
            const raw = fullRaw(variant === "kafka" ? undefined : variant);
            for (const f of fields) inject(raw, f, payload);
            const { pwned, log } = await runAll(scratchWorkdirs(validateConfig(raw, SECRET)));
            for (const name of pwned)
                executed.push(`${fields.map((f) => show(f.path)).join(", ")} ${JSON.stringify(payload)} → ${name}`);
            // Not vacuous: the payload reached a stand-in as (part of) an argument; JSON may have escaped quotes.
            expect(log).toContain(`touch ${marker}`);
        }
        expect(executed).toEqual([]);
        // Free text is accepted (chaincode arguments are data), so scripts did run with every payload.
        const names = new Set([...accepted.values()].flat().map((f) => show(f.path)));
        expect([...names]).toEqual(expect.arrayContaining(["chaincodes.0.init.args.0", "chaincodes.0.verify.args.0"]));
        expect(accepted.size).toBeGreaterThanOrEqual(PAYLOADS(marker).length);
        console.log(`accepted, and run through every script: ${[...names].join(", ")}`);
    }, 600_000);
});

describe("the scripts, with validation skipped", () => {
    // Keys whose values the plan compares with fixed words: an unknown value would be a different program.
    const ENUMS = new Set([
        "kind",
        "credential",
        "lifecycle",
        "stateDatabase",
        "language",
        "mode",
        "strictHostKeyChecking",
        "fabricVersion",
        "type",
    ]);

    /** Appends `payload` to every free string of the spec (the same string always the same way: look-ups hold). */
    function poison<T>(value: T, payload: string, key = ""): T {
        if (typeof value === "string") return (ENUMS.has(key) ? value : `${value}${payload}`) as T;
        if (Array.isArray(value)) return value.map((v) => poison(v, payload, key)) as T;
        if (value && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, payload, k)])) as T;
        }
        return value;
    }

    const specs = (): Array<[string, NetworkSpec]> => {
        const dev = validateConfig(fullRaw(undefined), SECRET);
        const local = validateConfig(clone(rawStackConfig("local")), SECRET);
        // Every builder runs on every spec (both lifecycles' scripts included); local has no ssh layer.
        return [
            ["dev", dev],
            ["local", local],
        ];
    };

    it("covers every script and command builder plan/ exports", () => {
        const builders = Object.keys(plan).filter((n) => /(Script|Command|Base64)$/.test(n));
        const { builders: used } = everyScript(scratchWorkdirs(specs()[0]![1]));
        expect(builders.filter((n) => !used.has(n))).toEqual([]);
    });

    it.each(PAYLOADS("MARKER").map((p, i) => [i, JSON.stringify(p)] as const))(
        "payload %i (%s) in every string runs as data in every script",
        async (i) => {
            const payload = PAYLOADS(marker)[i]!;
            for (const [name, spec] of specs()) {
                const { pwned, log } = await runAll(poison(scratchWorkdirs(spec), payload));
                expect(pwned, `${name}: the payload executed in these scripts`).toEqual([]);
                // Not vacuous: the payload reached the stand-ins as an argument, byte for byte.
                expect(log, `${name}: no stand-in ever received the payload`).toContain(payload.trim());
                expect(log).toContain(`touch ${marker}`);
            }
        },
        300_000,
    );
});
