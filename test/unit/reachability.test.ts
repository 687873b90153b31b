import { describe, expect, it } from "vitest";
import { probeCommand } from "../../plan";
import { stackSpec } from "../support/stacks";

describe("the reachability probe's command line", () => {
    it("logs in as the steps do, gives up on a dead address after 10 s, and asks the engine", () => {
        const dev = stackSpec("dev");
        const kafka4 = dev.hosts.find((h) => h.name === "kafka4")!;
        expect(probeCommand(kafka4, dev.ssh, "/keys/kafka4.key")).toBe(
            "ssh '-i' '/keys/kafka4.key' '-p' '22' '-l' 'fabric' '-o' 'IdentitiesOnly=yes' '-o' 'BatchMode=yes' " +
                "'-o' 'StrictHostKeyChecking=accept-new' '-o' 'ConnectTimeout=10' -- '192.0.2.24' " +
                `'docker version --format '\\''{{.Server.Version}}'\\'''`,
        );
    });
});
