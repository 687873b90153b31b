#!/usr/bin/env node
// Smoke test of the stand-in provider plugins (providers/src, installed by tools/toolchain/steps/35-providers.sh)
// through the real engine: an Automation API inline program with a RandomPassword, local Commands and the
// command:local:run function. With sshd available it also runs remote Commands against a throw-away sshd on
// 127.0.0.1 (own host key, own authorized_keys; nothing in ~/.ssh is touched). What it checks is upstream's
// behaviour (pulumi-command 1.2.1, pulumi-random 4.21.1), including where that differs from what a program might
// expect: stdout is secret only through additionalSecretOutputs, remote environment needs sshd's AcceptEnv, a
// failure names the command and all its output.
//
//   node providers/smoke/run.mjs            prints PASS/FAIL/SKIP lines, exits 1 on any FAIL
//
// Environment: FABRIC_KAFKA_CACHE (default ~/.cache/fabric-kafka-pulumi) holds bin/pulumi and pulumi-home.
// SMOKE_KEEP=1 keeps the temp directory.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as command from "@pulumi/command";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import * as random from "@pulumi/random";

const cache =
    process.env.FABRIC_KAFKA_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "fabric-kafka-pulumi");
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
            // What the remote commands below pass: one variable of their own, and the previous output.
            "AcceptEnv FOO PULUMI_COMMAND_*",
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
        hostKey: fs.readFileSync(path.join(dir, "host_key.pub"), "utf8").split(" ").slice(0, 2).join(" "),
        stop: () => proc.kill(),
    };
}

// --- the program ------------------------------------------------------------------------------------------------
let phase = 1;
let ssh; // set when sshd runs

function program() {
    const pw = new random.RandomPassword("pw", { length: 24, special: false, minUpper: 2, minNumeric: 2 });
    // Its environment holds a secret, but stdout does not inherit that (upstream: only same-named outputs do).
    const secretEnvCmd = new command.local.Command("secret-env-cmd", {
        create: 'printf "%s" "${#PW}"',
        environment: { PW: pw.result },
    });
    // ... unless the program asks for it.
    const secretOutCmd = new command.local.Command(
        "secret-out-cmd",
        { create: 'printf "%s" "${#PW}"', environment: { PW: pw.result } },
        { additionalSecretOutputs: ["stdout"] },
    );
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

    const out = {
        password: pw.result,
        secretEnvStdout: secretEnvCmd.stdout,
        secretOutStdout: secretOutCmd.stdout,
        lifecycleStdout: lifecycle.stdout,
        triggeredStdout: triggered.stdout,
        triggeredStderr: triggered.stderr,
        invokedStdout: invoked.stdout,
        invokedStderr: invoked.stderr,
    };
    if (ssh) {
        const remote = new command.remote.Command("remote", {
            connection: { host: "127.0.0.1", port: ssh.port, user: "root", privateKey: ssh.key, hostKey: ssh.hostKey },
            create: 'echo "remote $FOO $(cat)"',
            delete: `echo "$PULUMI_COMMAND_STDOUT" > ${JSON.stringify(path.join(tmp, "remote-deleted"))}`,
            stdin: "stdin-data",
            // The throw-away sshd accepts FOO (AcceptEnv), as a real one must for this to work upstream.
            environment: { FOO: "it's bar" },
        });
        Object.assign(out, { remoteStdout: remote.stdout });
    }
    return out;
}

// Commands that fail, one per up: what the error says (upstream: exit status, the whole command, all output).
let failCase = "local";
function failProgram() {
    if (failCase === "local") {
        const c = new command.local.Command("fails", {
            create: "echo out-line; echo err-line >&2; exit 3",
            logging: "none",
        });
        return { stdout: c.stdout };
    }
    const c = new command.remote.Command("refused-env", {
        connection: { host: "127.0.0.1", port: ssh.port, user: "root", privateKey: ssh.key, hostKey: ssh.hostKey },
        create: `touch ${JSON.stringify(path.join(tmp, "refused-env-ran"))}`,
        // Not in the sshd's AcceptEnv.
        environment: { BAR: "x" },
    });
    return { stdout: c.stdout };
}

// --- the run ----------------------------------------------------------------------------------------------------
const opMap = (m) =>
    Object.entries(m ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
const onlySame = (m) => Object.keys(m ?? {}).every((k) => k === "same");

async function main() {
    const s = await startSshd().catch((e) => ({ why: e.message }));
    if (s.port) ssh = s;
    else skip(`remote command: ${s.why}`);

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
            (pv0.changeSummary?.create ?? 0) >= 6 && Object.keys(pv0.changeSummary ?? {}).every((k) => k === "create"),
            "preview of a new stack: creates only",
            opMap(pv0.changeSummary),
        );
        check(!fs.existsSync(path.join(tmp, "deleted-marker")), "preview runs no command");

        // 1. up
        let t0 = Date.now();
        const up1 = await stack.up({ onOutput });
        const rc1 = up1.summary.resourceChanges ?? {};
        console.log(`INFO up #1 in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(rc1)}`);
        check(up1.summary.result === "succeeded" && (rc1.create ?? 0) >= 6, "up creates every resource", opMap(rc1));
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
            o.secretEnvStdout.value === "24" && !o.secretEnvStdout.secret,
            "stdout of a command with a secret environment is not secret by itself (as upstream)",
            JSON.stringify(o.secretEnvStdout),
        );
        check(
            o.secretOutStdout.value === "24" && o.secretOutStdout.secret,
            "additionalSecretOutputs makes stdout secret",
            JSON.stringify(o.secretOutStdout),
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
        check(
            !fs.readFileSync(path.join(tmp, "pulumi.log"), "utf8").includes(o.password.value),
            "the password does not appear in the engine output",
        );
        if (ssh) {
            check(
                o.remoteStdout?.value === "remote it's bar stdin-data",
                "remote command over ssh: environment (AcceptEnv) and stdin",
                JSON.stringify(o.remoteStdout?.value),
            );
        }

        // 2. no-op up
        t0 = Date.now();
        const up2 = await stack.up({ onOutput });
        const rc2 = up2.summary.resourceChanges ?? {};
        console.log(`INFO up #2 in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(rc2)}`);
        check(onlySame(rc2), "second up changes nothing (only same)", opMap(rc2));

        // 3. command update (previous stdout in the environment) and trigger replace
        phase = 3;
        const up3 = await stack.up({ onOutput });
        const rc3 = up3.summary.resourceChanges ?? {};
        console.log(`INFO up #3 (command update + trigger): ${opMap(rc3)}`);
        check(
            rc3.update === 1 && rc3.replace === 1,
            "command: create change updates, triggers change replaces",
            opMap(rc3),
        );
        check(
            up3.outputs.lifecycleStdout.value === "prev=v1",
            "update runs `update` with PULUMI_COMMAND_STDOUT",
            JSON.stringify(up3.outputs.lifecycleStdout.value),
        );

        // 3b. refresh: every resource reads back as it is in the state
        const rf = await stack.refresh({ onOutput });
        check(onlySame(rf.summary.resourceChanges), "refresh reports no drift", opMap(rf.summary.resourceChanges));
        // Secrets stay encrypted in the state: the password never appears in clear in any state file or backup.
        const stateFiles = fs.readdirSync(backend, { recursive: true }).map((f) => path.join(backend, f));
        const clear = stateFiles.filter(
            (f) => fs.statSync(f).isFile() && fs.readFileSync(f).includes(up3.outputs.password.value),
        );
        check(
            stateFiles.length > 0 && clear.length === 0,
            "the state holds the password only encrypted",
            clear.join(" "),
        );

        // 4. destroy
        t0 = Date.now();
        const d = await stack.destroy({ onOutput });
        destroyed = true;
        console.log(`INFO destroy in ${Math.round((Date.now() - t0) / 1000)}s: ${opMap(d.summary.resourceChanges)}`);
        check(d.summary.result === "succeeded", "destroy succeeds");
        check(fs.existsSync(path.join(tmp, "deleted-marker")), "delete command ran on destroy");
        if (ssh) {
            check(
                fs.existsSync(path.join(tmp, "remote-deleted")) &&
                    fs.readFileSync(path.join(tmp, "remote-deleted"), "utf8").trim() === "remote it's bar stdin-data",
                "remote delete got PULUMI_COMMAND_STDOUT (AcceptEnv PULUMI_COMMAND_*)",
            );
        }

        // 5. failures
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
            err1.includes('exit status 3: running "echo out-line; echo err-line >&2; exit 3":') &&
                /out-line\s+err-line/.test(err1),
            "a failed command: exit status, the whole command and all its output, though logging is none",
            err1
                .split("\n")
                .filter((l) => /exit status|out-line|err-line/.test(l))
                .slice(0, 4)
                .join(" | "),
        );
        if (ssh) {
            failCase = "remote";
            const err2 = await upError();
            check(
                err2.includes('could not set environment variable "BAR"') &&
                    !fs.existsSync(path.join(tmp, "refused-env-ran")),
                "remote environment the sshd does not accept: the step fails before the command runs",
                err2
                    .split("\n")
                    .filter((l) => /BAR|error/.test(l))
                    .slice(0, 3)
                    .join(" | "),
            );
        }
        await failStack.destroy({ onOutput });
    } catch (e) {
        fail(`unexpected error: ${e?.message ?? e}`);
        console.log(`INFO last lines of the engine output (${path.join(tmp, "pulumi.log")}):`);
        console.log(fs.readFileSync(path.join(tmp, "pulumi.log"), "utf8").split("\n").slice(-40).join("\n"));
    } finally {
        if (!destroyed)
            await stack.destroy({ onOutput }).catch((e) => console.log(`INFO cleanup destroy failed: ${e.message}`));
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
