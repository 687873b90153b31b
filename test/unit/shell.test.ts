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

/** The words the shell hands ssh for `line`, read by a stand-in ssh that prints its argv. */
function sshArgv(line: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fk-ssh-"));
    fs.writeFileSync(path.join(dir, "ssh"), `#!/bin/sh\nprintf '%s\\0' "$@"\n`, { mode: 0o755 });
    const out = execFileSync("sh", ["-c", line], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    return out.split("\0").slice(0, -1);
}

describe("sshCommand", () => {
    it("pins the host keys to the configured known_hosts file, with the configured policy", () => {
        const spec = stackSpec("dev");
        const ssh = {
            ...spec.ssh,
            knownHostsFile: "/etc/fabric-kafka/known_hosts",
            strictHostKeyChecking: "yes" as const,
        };
        const argv = sshArgv(sshCommand(spec.hosts[0]!, ssh, "/keys/a.key", "true"));
        expect(argv.slice(argv.indexOf("BatchMode=yes") + 1, argv.indexOf("--"))).toEqual([
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "UserKnownHostsFile=/etc/fabric-kafka/known_hosts",
        ]);
    });

    it("hands ssh every option as its own word, ends options with --, and the script as one argument", () => {
        const spec = stackSpec("dev");
        const host = { ...spec.hosts[0]!, user: "fab ric" };
        expect(sshArgv(sshCommand(host, spec.ssh, "/keys/a b.key", "echo 'hi' $(id)"))).toEqual([
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
