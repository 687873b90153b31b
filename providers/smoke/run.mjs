#!/usr/bin/env node
// Smoke test of the stand-in provider plugins (providers/src, installed by tools/toolchain/steps/35-providers.sh)
// through the real engine: an Automation API inline program with a RandomPassword, local Commands, the
// command:local:run function, and a Network, Volume, RemoteImage and health-checked Container on the local
// Docker engine. With sshd available it also runs a remote Command and a docker Volume over ssh, against a
// throw-away sshd on 127.0.0.1 (own host key, own authorized_keys; nothing in ~/.ssh is touched).
//
//   node providers/smoke/run.mjs            prints PASS/FAIL/SKIP lines, exits 1 on any FAIL
//
// Environment: FABRIC_KAFKA_CACHE (default ~/.cache/fabric-kafka-pulumi) holds bin/pulumi and pulumi-home;
// SMOKE_IMAGE (default 127.0.0.1:5000/fabrickafka/zookeeper:3.8.4) must exist locally or be pullable; it
// must become a healthy standalone ZooKeeper with ZOO_MY_ID=1. SMOKE_KEEP=1 keeps the temp directory.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import * as random from "@pulumi/random";

const cache =
    process.env.FABRIC_KAFKA_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "fabric-kafka-pulumi");
const image = process.env.SMOKE_IMAGE ?? "127.0.0.1:5000/fabrickafka/zookeeper:3.8.4";
const id = `smoke${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "providers-smoke-"));

let failures = 0;
const pass = (msg) => console.log(`PASS ${msg}`);
const fail = (msg) => {
    failures++;
    console.log(`FAIL ${msg}`);
};
const check = (ok, msg, detail) => (ok ? pass(msg) : fail(detail === undefined ? msg : `${msg}: ${detail}`));
const skip = (msg) => console.log(`SKIP ${msg}`);

function sh(file, args, opts = {}) {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}
function dockerJson(kind, ref) {
    try {
        return JSON.parse(sh("docker", [kind, "inspect", ref]))[0];
    } catch {
        return undefined;
    }
}
function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}
async function waitPort(port, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        const ok = await new Promise((r) => {
            const c = net.connect(port, "127.0.0.1", () => {
                c.destroy();
                r(true);
            });
            c.once("error", () => r(false));
        });
        if (ok) return true;
        await new Promise((r) => setTimeout(r, 200));
    }
    return false;
}

// --- optional sshd ---------------------------------------------------------------------------------------------
async function startSshd() {
    const sshd = "/usr/sbin/sshd";
    if (!fs.existsSync(sshd) || process.getuid?.() !== 0 || !fs.existsSync("/run/sshd")) {
        return { why: "needs root, /usr/sbin/sshd and /run/sshd" };
    }
    const dir = path.join(tmp, "sshd");
    fs.mkdirSync(dir, { mode: 0o700 });
    sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
    sh("ssh-keygen", [
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        `providers-smoke-${id}`,
        "-f",
        path.join(dir, "client_key"),
    ]);
    fs.copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"));
    const port = await freePort();
    const cfg = path.join(dir, "sshd_config");
    fs.writeFileSync(
        cfg,
        [
            `Port ${port}`,
            "ListenAddress 127.0.0.1",
            `HostKey ${path.join(dir, "host_key")}`,
            `PidFile ${path.join(dir, "sshd.pid")}`,
            `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "MaxStartups 50:30:100",
            "",
        ].join("\n"),
    );
    const proc = spawn(sshd, ["-D", "-e", "-f", cfg], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    proc.stderr.on("data", (b) => (err += b));
    if (!(await waitPort(port, 5000))) {
        proc.kill();
        return { why: `sshd did not start: ${err.trim()}` };
    }
    return {
        port,
        key: fs.readFileSync(path.join(dir, "client_key"), "utf8"),
        keyFile: path.join(dir, "client_key"),
        hostKey: fs.readFileSync(path.join(dir, "host_key.pub"), "utf8").split(" ").slice(0, 2).join(" "),
        stop: () => proc.kill(),
    };
}

// --- the program ------------------------------------------------------------------------------------------------
const names = {
    network: `${id}-net`,
    volume: `${id}-data`,
    container: `${id}-zk`,
    sshVolume: `${id}-ssh`,
    failContainer: `${id}-unhealthy`,
};
let phase = 1;
let ssh; // set when sshd runs
let hostPort;

function program() {
    const pw = new random.RandomPassword("pw", { length: 24, special: false, minUpper: 2, minNumeric: 2 });
    // Its environment holds a secret: its outputs must be secret too.
    const secretCmd = new command.local.Command("secret-cmd", {
        create: 'printf "%s" "${#PW}"',
        environment: { PW: pw.result },
    });
    const lifecycle = new command.local.Command("lifecycle", {
        create: phase >= 3 ? "echo v2" : "echo v1",
        update: 'echo "prev=$PULUMI_COMMAND_STDOUT"',
        delete: `echo deleted > ${JSON.stringify(path.join(tmp, "deleted-marker"))}`,
        stdin: "from-stdin",
        interpreter: ["/bin/bash", "-c"],
    });
    const triggered = new command.local.Command("triggered", {
        create: "cat; echo; echo to-stderr >&2",
        stdin: "piped-in",
        triggers: [phase >= 3 ? "t2" : "t1"],
        logging: "stderr",
    });
    const invoked = command.local.runOutput({ command: "echo invoked; echo err >&2", interpreter: ["/bin/sh", "-c"] });

    const prov = new docker.Provider("local", { host: "unix:///var/run/docker.sock" });
    const network = new docker.Network("net", { name: names.network, driver: "bridge" }, { provider: prov });
    const volume = new docker.Volume("data", { name: names.volume }, { provider: prov });
    const img = new docker.RemoteImage("zk-image", { name: image, keepLocally: true }, { provider: prov });
    const container = new docker.Container(
        "zk",
        {
            name: names.container,
            hostname: "zk1",
            image: img.imageId,
            envs: ["ZOO_MY_ID=1", `SMOKE_PHASE=${phase >= 2 ? 2 : 1}`, pulumi.interpolate`SMOKE_SECRET=${pw.result}`],
            command: ["zkServer.sh", "start-foreground"],
            restart: "unless-stopped",
            mustRun: true,
            ports: [{ internal: 2181, external: hostPort, ip: "127.0.0.1" }],
            volumes: [{ volumeName: volume.name, containerPath: "/data" }],
            hosts: [{ host: "smoke.example", ip: "10.11.12.13" }],
            networksAdvanced: [{ name: network.name, aliases: ["zk-alias", "zookeeper-smoke"] }],
            healthcheck: {
                tests: ["CMD", "/usr/local/bin/healthcheck"],
                interval: "2s",
                timeout: "5s",
                retries: 15,
                startPeriod: "5s",
            },
            wait: true,
            waitTimeout: 180,
            logOpts: { "max-size": "1m", "max-file": "2" },
            labels: [{ label: "providers-smoke", value: id }],
        },
        { provider: prov, deleteBeforeReplace: true },
    );

    const out = {
        password: pw.result,
        secretStdout: secretCmd.stdout,
        lifecycleStdout: lifecycle.stdout,
        triggeredStdout: triggered.stdout,
        triggeredStderr: triggered.stderr,
        invokedStdout: invoked.stdout,
        invokedStderr: invoked.stderr,
        imageId: img.imageId,
        containerId: container.id,
        networkId: network.id,
        volumeName: volume.name,
    };
    if (ssh) {
        const remote = new command.remote.Command("remote", {
            connection: { host: "127.0.0.1", port: ssh.port, user: "root", privateKey: ssh.key, hostKey: ssh.hostKey },
            create: 'echo "remote $FOO $(cat)"',
            delete: `echo "$PULUMI_COMMAND_STDOUT" > ${JSON.stringify(path.join(tmp, "remote-deleted"))}`,
            stdin: "stdin-data",
            environment: { FOO: "it's bar" },
        });
        const sshProv = new docker.Provider("over-ssh", {
            host: `ssh://root@127.0.0.1:${ssh.port}`,
            sshOpts: [
                "-i",
                ssh.keyFile,
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
            ],
        });
        const sshVolume = new docker.Volume("ssh-volume", { name: names.sshVolume }, { provider: sshProv });
        const sshImage = new docker.RemoteImage("ssh-image", { name: image, keepLocally: true }, { provider: sshProv });
        Object.assign(out, { remoteStdout: remote.stdout, sshVolume: sshVolume.name, sshImageId: sshImage.imageId });
    }
    return out;
}

function failProgram() {
    const prov = new docker.Provider("local", { host: "unix:///var/run/docker.sock" });
    const c = new docker.Container(
        "unhealthy",
        {
            name: names.failContainer,
            image,
            envs: ["ZOO_MY_ID=1"],
            healthcheck: {
                tests: ["CMD-SHELL", "echo no-way; exit 1"],
                interval: "1s",
                timeout: "3s",
                retries: 2,
                startPeriod: "1s",
            },
            wait: true,
            waitTimeout: 60,
            labels: [{ label: "providers-smoke", value: id }],
        },
        { provider: prov },
    );
    return { id: c.id };
}

// --- the run ----------------------------------------------------------------------------------------------------
const opMap = (m) =>
    Object.entries(m ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
const onlySame = (m) => Object.keys(m ?? {}).every((k) => k === "same");

async function main() {
    hostPort = await freePort();
    const s = await startSshd().catch((e) => ({ why: e.message }));
    if (s.port) ssh = s;
    else skip(`remote command and docker over ssh: ${s.why}`);

    const backend = path.join(tmp, "backend");
    fs.mkdirSync(backend);
    const pulumiCommand = await PulumiCommand.get({ root: cache, skipVersionCheck: true });
    const workDir = path.join(tmp, "workspace");
    fs.mkdirSync(workDir);
    const wsOpts = {
        workDir,
        pulumiCommand,
        envVars: {
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: "smoke",
            PULUMI_HOME: path.join(cache, "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        },
    };
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "smoke", projectName: "providers-smoke", program },
        wsOpts,
    );
    let failStack;
    const log = fs.createWriteStream(path.join(tmp, "pulumi.log"));
    const onOutput = (s) => log.write(s);
    let destroyed = false;
    try {
        // 0. preview of a new stack: creates only, no side effects
        const pv0 = await stack.preview({ onOutput });
        check(
            (pv0.changeSummary?.create ?? 0) >= 10 && Object.keys(pv0.changeSummary ?? {}).every((k) => k === "create"),
            "preview of a new stack: creates only",
            opMap(pv0.changeSummary),
        );
        check(!dockerJson("network", names.network) && !dockerJson("volume", names.volume), "preview creates nothing");

        // 1. up
        let t0 = Date.now();
        const up1 = await stack.up({ onOutput });
        const rc1 = up1.summary.resourceChanges ?? {};
        console.log(`INFO up #1 in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(rc1)}`);
        check(up1.summary.result === "succeeded" && (rc1.create ?? 0) >= 10, "up creates every resource", opMap(rc1));
        const o = up1.outputs;
        check(
            typeof o.password.value === "string" && o.password.value.length === 24 && o.password.secret,
            "random password: 24 chars, secret",
        );
        check(
            /[A-Z].*[A-Z]/.test(o.password.value) &&
                /\d.*\d/.test(o.password.value) &&
                !/[^A-Za-z0-9]/.test(o.password.value),
            "random password honours minUpper/minNumeric/special=false",
        );
        check(
            o.secretStdout.value === "24" && o.secretStdout.secret,
            "command output from a secret environment is secret",
            JSON.stringify(o.secretStdout),
        );
        check(
            o.lifecycleStdout.value === "v1" && !o.lifecycleStdout.secret,
            "local command stdout, trailing newline trimmed",
            JSON.stringify(o.lifecycleStdout.value),
        );
        check(
            o.triggeredStdout.value === "piped-in" && o.triggeredStderr.value === "to-stderr",
            "stdin is piped, stderr captured",
            `${JSON.stringify(o.triggeredStdout.value)} ${JSON.stringify(o.triggeredStderr.value)}`,
        );
        check(
            o.invokedStdout.value === "invoked" && o.invokedStderr.value === "err",
            "command:local:run invoke",
            JSON.stringify(o.invokedStdout.value),
        );
        const imgInfo = dockerJson("image", image);
        check(imgInfo && o.imageId.value === imgInfo.Id, "remote image imageId is the local image id", o.imageId.value);
        const ci = dockerJson("container", names.container);
        check(ci && ci.Id === o.containerId.value, "container id is the docker container id");
        check(
            ci?.State?.Health?.Status === "healthy",
            "container is healthy after up (wait=true)",
            ci?.State?.Health?.Status,
        );
        const env = ci?.Config?.Env ?? [];
        check(
            env.includes("ZOO_MY_ID=1") && env.includes(`SMOKE_SECRET=${o.password.value}`),
            "container environment (with the secret) is set",
        );
        const netCfg = ci?.NetworkSettings?.Networks?.[names.network];
        check(
            netCfg && (netCfg.Aliases ?? []).includes("zk-alias") && (netCfg.Aliases ?? []).includes("zookeeper-smoke"),
            "container on the network with its aliases",
            JSON.stringify(netCfg?.Aliases),
        );
        check(
            (ci?.Mounts ?? []).some((m) => m.Name === names.volume && m.Destination === "/data"),
            "named volume mounted",
        );
        check(
            JSON.stringify(ci?.HostConfig?.PortBindings?.["2181/tcp"]) ===
                JSON.stringify([{ HostIp: "127.0.0.1", HostPort: String(hostPort) }]),
            "port published on 127.0.0.1",
            JSON.stringify(ci?.HostConfig?.PortBindings),
        );
        check((ci?.HostConfig?.ExtraHosts ?? []).includes("smoke.example:10.11.12.13"), "extra host entry");
        check(
            ci?.HostConfig?.RestartPolicy?.Name === "unless-stopped" &&
                ci?.HostConfig?.LogConfig?.Config?.["max-size"] === "1m",
            "restart policy and log options",
        );
        check(ci?.Config?.Labels?.["providers-smoke"] === id && ci?.Config?.Hostname === "zk1", "labels and hostname");
        check(
            !fs.readFileSync(path.join(tmp, "pulumi.log"), "utf8").includes(o.password.value),
            "the password does not appear in the engine output",
        );
        if (ssh) {
            check(
                o.remoteStdout?.value === "remote it's bar stdin-data",
                "remote command over ssh: environment and stdin",
                JSON.stringify(o.remoteStdout?.value),
            );
            check(
                o.sshVolume?.value === names.sshVolume && dockerJson("volume", names.sshVolume),
                "docker volume created over ssh://",
            );
            check(o.sshImageId?.value === imgInfo?.Id, "docker image inspected over ssh://");
        }

        // 2. no-op up
        t0 = Date.now();
        const up2 = await stack.up({ onOutput });
        const rc2 = up2.summary.resourceChanges ?? {};
        console.log(`INFO up #2 in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(rc2)}`);
        check(onlySame(rc2), "second up changes nothing (only same)", opMap(rc2));
        check(
            dockerJson("container", names.container)?.Id === o.containerId.value,
            "container untouched by the no-op up",
        );

        // 3. one container env changes: preview shows a replace of that container only
        phase = 2;
        const replaced = [];
        const pv = await stack.preview({
            onOutput,
            onEvent: (e) => {
                const m = e.resourcePreEvent?.metadata;
                if (m && m.op !== "same") replaced.push(`${m.op}:${m.type}`);
            },
        });
        const cs = pv.changeSummary ?? {};
        console.log(`INFO preview after an env change: ${opMap(cs)} (${replaced.join(", ")})`);
        check(
            cs.replace === 1 && Object.keys(cs).every((k) => k === "same" || k === "replace"),
            "preview: exactly one replace",
            opMap(cs),
        );
        check(
            replaced.every((r) => r.endsWith("docker:index/container:Container")) &&
                replaced.some((r) => r.startsWith("replace")),
            "preview: the replaced resource is the container",
            replaced.join(", "),
        );

        // 4. apply it: delete-before-replace, then wait for health again
        t0 = Date.now();
        const up3 = await stack.up({ onOutput });
        const rc3 = up3.summary.resourceChanges ?? {};
        console.log(`INFO up #3 (container replace) in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(rc3)}`);
        const ci3 = dockerJson("container", names.container);
        check(
            rc3.replace === 1 && ci3 && ci3.Id !== o.containerId.value && ci3.Id === up3.outputs.containerId.value,
            "up replaces the container",
            opMap(rc3),
        );
        check(
            ci3?.State?.Health?.Status === "healthy" && (ci3?.Config?.Env ?? []).includes("SMOKE_PHASE=2"),
            "the new container is healthy with the new env",
        );
        check(!dockerJson("container", o.containerId.value), "the old container is gone");

        // 5. command update (previous stdout in the environment) and trigger replace
        phase = 3;
        const up4 = await stack.up({ onOutput });
        const rc4 = up4.summary.resourceChanges ?? {};
        console.log(`INFO up #4 (command update + trigger) : ${opMap(rc4)}`);
        check(
            rc4.update === 1 && rc4.replace === 1,
            "command: create change updates, triggers change replaces",
            opMap(rc4),
        );
        check(
            up4.outputs.lifecycleStdout.value === "prev=v1",
            "update runs `update` with PULUMI_COMMAND_STDOUT",
            JSON.stringify(up4.outputs.lifecycleStdout.value),
        );

        // 5b. refresh: every resource reads back as it is in the state
        const rf = await stack.refresh({ onOutput });
        check(onlySame(rf.summary.resourceChanges), "refresh reports no drift", opMap(rf.summary.resourceChanges));
        // Secrets stay encrypted in the state: the password never appears in clear in any state file or backup.
        const stateFiles = fs.readdirSync(backend, { recursive: true }).map((f) => path.join(backend, f));
        const clear = stateFiles.filter(
            (f) => fs.statSync(f).isFile() && fs.readFileSync(f).includes(up4.outputs.password.value),
        );
        check(
            stateFiles.length > 0 && clear.length === 0,
            "the state holds the password only encrypted",
            clear.join(" "),
        );

        // 6. destroy
        t0 = Date.now();
        const d = await stack.destroy({ onOutput });
        destroyed = true;
        console.log(`INFO destroy in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(d.summary.resourceChanges)}`);
        check(d.summary.result === "succeeded", "destroy succeeds");
        const left = sh("docker", [
            "ps",
            "-a",
            "--filter",
            `label=providers-smoke=${id}`,
            "--format",
            "{{.Names}}",
        ]).trim();
        check(left === "" && !dockerJson("container", names.container), "destroy leaves no container", left);
        check(
            !dockerJson("network", names.network) && !dockerJson("volume", names.volume),
            "destroy removes the network and the volume",
        );
        check(!!dockerJson("image", image), "keepLocally: the image stays");
        check(fs.existsSync(path.join(tmp, "deleted-marker")), "delete command ran on destroy");
        if (ssh) {
            check(!dockerJson("volume", names.sshVolume), "volume over ssh:// removed");
            check(
                fs.existsSync(path.join(tmp, "remote-deleted")) &&
                    fs.readFileSync(path.join(tmp, "remote-deleted"), "utf8").trim() === "remote it's bar stdin-data",
                "remote delete got PULUMI_COMMAND_STDOUT",
            );
        }

        // 7. a container that never becomes healthy: up fails with its health log and logs, the container stays
        //    recorded (init error), the next up retries it (restart + wait), destroy removes it
        failStack = await LocalWorkspace.createOrSelectStack(
            { stackName: "smoke-fail", projectName: "providers-smoke", program: failProgram },
            wsOpts,
        );
        const upError = async () => {
            try {
                await failStack.up({ onOutput });
                return "";
            } catch (e) {
                return String(e?.message ?? e);
            }
        };
        const err1 = await upError();
        check(
            /is unhealthy/.test(err1) &&
                /last health checks:/.test(err1) &&
                /exit 1: no-way/.test(err1) &&
                /last container logs:/.test(err1),
            "unhealthy container: up fails with the health checks' and the container's last output",
            err1
                .split("\n")
                .filter((l) => /error|unhealthy|exit/.test(l))
                .slice(0, 5)
                .join(" | "),
        );
        const failState = JSON.stringify(await failStack.exportStack());
        check(
            failState.includes(names.failContainer) && !!dockerJson("container", names.failContainer),
            "the unhealthy container is kept in the state",
        );
        const err2 = await upError();
        check(
            /restarting it/.test(fs.readFileSync(path.join(tmp, "pulumi.log"), "utf8")) && /is unhealthy/.test(err2),
            "the next up restarts it and waits again",
        );
        await failStack.destroy({ onOutput });
        check(!dockerJson("container", names.failContainer), "destroy removes the unhealthy container");
    } catch (e) {
        fail(`unexpected error: ${e?.message ?? e}`);
        console.log(`INFO last lines of the engine output (${path.join(tmp, "pulumi.log")}):`);
        console.log(fs.readFileSync(path.join(tmp, "pulumi.log"), "utf8").split("\n").slice(-40).join("\n"));
    } finally {
        if (!destroyed)
            await stack.destroy({ onOutput }).catch((e) => console.log(`INFO cleanup destroy failed: ${e.message}`));
        for (const [kind, ref] of [
            ["container", names.container],
            ["network", names.network],
            ["volume", names.volume],
            ["volume", names.sshVolume],
            ["container", names.failContainer],
        ]) {
            try {
                execFileSync("docker", kind === "container" ? ["rm", "-f", ref] : [kind, "rm", ref], {
                    stdio: "ignore",
                });
            } catch {
                /* already gone */
            }
        }
        if (failStack) await failStack.destroy({ onOutput }).catch(() => undefined);
        await stack.workspace.removeStack("smoke").catch(() => undefined);
        await stack.workspace.removeStack("smoke-fail").catch(() => undefined);
        ssh?.stop();
        log.end();
        if (process.env.SMOKE_KEEP) console.log(`INFO kept ${tmp}`);
        else fs.rmSync(tmp, { recursive: true, force: true });
    }
    console.log(failures ? `FAIL ${failures} check(s) failed` : "PASS all checks");
    process.exit(failures ? 1 : 0);
}

main().catch((e) => {
    console.log(`FAIL ${e?.stack ?? e}`);
    process.exit(1);
});
