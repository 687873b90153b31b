#!/usr/bin/env node
// Records how the installed docker plugin (the bridged upstream provider, tools/toolchain/steps/33-docker-plugin.sh)
// behaves where this program's readiness depends on it. It prints what happened at each step; it asserts
// nothing (the figures go into docs/toolchain.md, "The docker plugin: observed behaviour").
//
//   D5  a container whose health wait fails on a cold `up`, then the next `up` (unhealthy, then healthy)
//   D6  a changed `healthcheck`: what preview plans, what `up` does, whether the running container gets it
//   D12 a reordered `envs` list: what preview plans
//   D1  a network of the same name that exists before the first `up`
//
// Uses the local Docker engine and the image fabrickafka/base:bookworm (npm run toolchain); creates only a
// container and a network named fkprobe<random>, and removes them. Run it holding the e2e lock:
//   flock /tmp/fk-e2e.lock node scripts/probe-docker-provider.mjs
// Environment: FABRIC_KAFKA_CACHE (default ~/.cache/fabric-kafka-pulumi) holds bin/pulumi and pulumi-home.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";

const cache =
    process.env.FABRIC_KAFKA_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "fabric-kafka-pulumi");
const image = process.env.PROBE_IMAGE ?? "fabrickafka/base:bookworm";
const id = `fkprobe${Date.now().toString(36)}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "docker-probe-"));

const say = (msg) => console.log(msg);
const sh = (args) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const inspect = (fmt) => {
    try {
        return sh(["inspect", "-f", fmt, id]);
    } catch {
        return "(no container)";
    }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What the program declares; each phase changes one thing.
const shape = {
    check: "test -f /tmp/ready",
    envs: ["A=1", "B=2"],
};
function program() {
    const prov = new docker.Provider("local", { host: "unix:///var/run/docker.sock" });
    const net = new docker.Network("net", { name: id, driver: "bridge" }, { provider: prov });
    const img = new docker.RemoteImage("img", { name: image, keepLocally: true }, { provider: prov });
    const c = new docker.Container(
        "probe",
        {
            name: id,
            image: img.imageId,
            command: ["sleep", "infinity"],
            envs: shape.envs,
            mustRun: true,
            restart: "unless-stopped",
            networksAdvanced: [{ name: net.name, aliases: ["probe"] }],
            healthcheck: { tests: ["CMD-SHELL", shape.check], interval: "1s", timeout: "2s", retries: 1 },
            wait: true,
            waitTimeout: 15,
        },
        { provider: prov, deleteBeforeReplace: true },
    );
    return { id: c.id };
}

async function main() {
    const backend = path.join(tmp, "backend");
    fs.mkdirSync(backend);
    const pulumiCommand = await PulumiCommand.get({ root: path.join(cache), skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "probe", projectName: "docker-probe", program },
        {
            workDir: tmp,
            pulumiCommand,
            envVars: {
                PULUMI_BACKEND_URL: `file://${backend}`,
                PULUMI_CONFIG_PASSPHRASE: "probe",
                PULUMI_HOME: path.join(cache, "pulumi-home"),
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            },
        },
    );
    const log = fs.createWriteStream(path.join(tmp, "pulumi.log"));
    const ops = [];
    const onEvent = (e) => {
        const m = e.resourcePreEvent?.metadata;
        if (m && m.op !== "same" && m.type.startsWith("docker:")) {
            const diffs = m.detailedDiff ? Object.entries(m.detailedDiff).map(([k, v]) => `${k}:${v.kind}`) : m.diffs;
            ops.push(`${m.op} ${m.type.split(":").pop()}${diffs?.length ? ` [${diffs.join(" ")}]` : ""}`);
        }
    };
    const run = async (label, fn) => {
        ops.length = 0;
        const t0 = Date.now();
        let result;
        try {
            const r = await fn();
            result = r.summary?.result ?? "ok";
        } catch (e) {
            const lines = String(e?.message ?? e)
                .split("\n")
                .filter((l) => /error:/.test(l) && !/update failed|preview failed/.test(l));
            result = `FAILED: ${[...new Set(lines.map((l) => l.trim()))].slice(0, 2).join(" | ")}`;
        }
        const secs = ((Date.now() - t0) / 1000).toFixed(0);
        say(`${label}: ${result} in ${secs}s; steps: ${ops.length ? ops.join(", ") : "none"}`);
    };
    const up = (label) => run(label, () => stack.up({ onOutput: (s) => log.write(s), onEvent }));
    const preview = (label) => run(label, () => stack.preview({ onOutput: (s) => log.write(s), onEvent, diff: true }));
    const state = () =>
        say(
            `  container: ${inspect("{{.Id}}").slice(0, 12)} ${inspect("{{.State.Status}}")}, health ` +
                `${inspect("{{.State.Health.Status}}")}, check ${inspect("{{json .Config.Healthcheck.Test}}")}`,
        );
    const initErrors = async () => {
        const st = (await stack.exportStack()).deployment;
        const r = (st.resources ?? []).find((x) => x.type === "docker:index/container:Container");
        return r ? `in the state, initErrors: ${JSON.stringify(r.initErrors ?? [])}` : "not in the state";
    };
    try {
        say(`probe ${id} with ${image}; plugin: ${sh(["version", "-f", "{{.Server.Version}}"])} engine`);
        say("D1: a network named like the program's exists before the first up");
        sh(["network", "create", id]);
        shape.check = "true";
        await up("  cold up");
        sh(["network", "rm", id]);

        say("D6: a healthy container, then its health check changes (to one that fails)");
        await up("  cold up, check `true`");
        state();
        shape.check = "test -f /tmp/nope";
        await preview("  preview of the change");
        await up("  up");
        state();
        await preview("  preview after that up");
        await run("  refresh", () => stack.refresh({ onOutput: (s) => log.write(s), onEvent }));
        await preview("  preview after refresh");

        say("D12: the envs list reordered (same set)");
        shape.envs = ["B=2", "A=1"];
        await preview("  preview");
        shape.envs = ["A=1", "B=2"];

        say("D5: the health check fails (no /tmp/ready) during a cold up, waitTimeout 15 s");
        await run("  destroy first", () => stack.destroy({ onOutput: (s) => log.write(s) }));
        shape.check = "test -f /tmp/ready";
        await up("  cold up");
        state();
        say(`  container ${await initErrors()}`);
        await preview("  preview, nothing changed");
        await up("  next up");
        state();
        say(`  container ${await initErrors()}`);
        sh(["exec", id, "touch", "/tmp/ready"]);
        for (let i = 0; i < 20 && inspect("{{.State.Health.Status}}") !== "healthy"; i++) await sleep(500);
        say("  /tmp/ready created in the container:");
        state();
        await preview("  preview once healthy");
        sh(["exec", id, "rm", "/tmp/ready"]);
        for (let i = 0; i < 20 && inspect("{{.State.Health.Status}}") !== "unhealthy"; i++) await sleep(500);
        say("  /tmp/ready removed again:");
        state();
        await run("  refresh", () => stack.refresh({ onOutput: (s) => log.write(s), onEvent }));
        say(`  container ${await initErrors()}`);
        await preview("  preview after refresh");
        await up("  up after refresh");
        state();
    } finally {
        await run("destroy", () => stack.destroy({ onOutput: (s) => log.write(s) }));
        for (const args of [
            ["rm", "-f", id],
            ["network", "rm", id],
        ]) {
            try {
                sh(args);
            } catch {
                /* already gone */
            }
        }
        await stack.workspace.removeStack("probe").catch(() => undefined);
        log.end();
        if (process.env.PROBE_KEEP) say(`kept ${tmp}`);
        else fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.log(`probe failed: ${e?.stack ?? e}`);
    process.exit(1);
});
