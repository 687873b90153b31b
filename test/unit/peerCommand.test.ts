/**
 * The peer's start command on the official images: it runs the image's `peer node start` on a copy of the image's
 * core.yaml whose `vm.endpoint` is empty (no Docker health check without a Docker socket), and changes nothing else.
 * Run under bash with a stand-in `peer` that prints the configuration it was started with.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { peerContainer, peerStartCommand } from "../../plan";
import { stackSpec } from "../support/stacks";

const SAMPLE = [
    "peer:",
    "    id: jdoe",
    "    gossip:",
    "        endpoint:",
    "vm:",
    "    endpoint: unix:///var/run/docker.sock",
    "    docker:",
    "        tls:",
    "            enabled: false",
    "",
].join("\n");

describe("the peer's start command", () => {
    it("starts `peer node start` on the image's core.yaml with vm.endpoint cleared, and nothing else changed", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-peer-cmd-"));
        const cfg = path.join(dir, "config");
        const bin = path.join(dir, "bin");
        fs.mkdirSync(cfg);
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(cfg, "core.yaml"), SAMPLE);
        fs.writeFileSync(path.join(bin, "peer"), '#!/bin/sh\necho "args: $*"\ncat "$FABRIC_CFG_PATH/core.yaml"\n', {
            mode: 0o755,
        });
        const [shell, flag, script] = peerStartCommand();
        const out = execFileSync(shell!, [flag!, script!], {
            encoding: "utf8",
            env: { PATH: `${bin}:/usr/bin:/bin`, FABRIC_CFG_PATH: cfg },
        });
        expect(out).toBe(`args: node start\n${SAMPLE.replace("unix:///var/run/docker.sock", '""')}`);
        // The image's own file is untouched.
        expect(fs.readFileSync(path.join(cfg, "core.yaml"), "utf8")).toBe(SAMPLE);
    });

    it("is the command of every Fabric 2.5 peer", () => {
        const dev = stackSpec("dev");
        for (const org of dev.organizations)
            for (const p of org.peers) expect(peerContainer(dev, p).command).toEqual(peerStartCommand());
    });
});
