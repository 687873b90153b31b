/** The one quoting helper, run through a real `sh`: what goes in as a string comes out as one word, unchanged. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { shArgv, shq, sshCommand } from "../../plan";
import { stackSpec } from "../support/stacks";

const NASTY = ["plain", "", "it's", "$(id)", "`id`", "a b\tc", "line\nbreak", "'; touch x; '", '"$HOME"', "\\", "-n"];

describe("shq", () => {
    it.each(NASTY.map((s) => [JSON.stringify(s), s]))("keeps %s as one word, byte for byte", (_n, s) => {
        const out = execFileSync("sh", ["-c", `printf '%s\\0' ${shq(s)}`], { encoding: "utf8" });
        expect(out).toBe(`${s}\0`);
    });

    it("quotes argv word by word", () => {
        const out = execFileSync("sh", ["-c", `printf '%s\\0' ${shArgv(NASTY)}`], { encoding: "utf8" });
        expect(out.split("\0").slice(0, -1)).toEqual(NASTY);
    });
});

describe("sshCommand", () => {
    it("hands ssh every option as its own word, ends options with --, and the script as one argument", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-ssh-"));
        fs.writeFileSync(path.join(dir, "ssh"), `#!/bin/sh\nprintf '%s\\0' "$@"\n`, { mode: 0o755 });
        const spec = stackSpec("dev");
        const host = { ...spec.hosts[0]!, user: "fab ric" };
        const line = sshCommand(host, spec.ssh, "/keys/a b.key", "echo 'hi' $(id)");
        const out = execFileSync("sh", ["-c", line], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
        });
        expect(out.split("\0").slice(0, -1)).toEqual([
            "-i",
            "/keys/a b.key",
            "-p",
            "22",
            "-l",
            "fab ric",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "--",
            "192.0.2.11",
            "echo 'hi' $(id)",
        ]);
    });
});
