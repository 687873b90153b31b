import { describe, expect, it } from "vitest";
import { probeCommand, stepGraph, stepsOnHost, unreachableHostsMessage } from "../../plan";
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

describe("the message when hosts cannot be reached", () => {
    it("names each host, where it is in the config, how it was reached, what failed and the steps it carries", () => {
        const dev = stackSpec("dev");
        const steps = stepGraph(dev);
        const msg = unreachableHostsMessage(dev, steps, [
            { host: "kafka4", detail: "ssh: connect to host 192.0.2.24 port 22: Connection timed out" },
            { host: "orderer1", detail: "Permission denied (publickey)." },
        ]);
        expect(msg.split("\n")).toEqual([
            "cannot reach 2 of the network's hosts over SSH, so nothing was changed on any host:",
            "  host kafka4 (hosts[6], fabric@192.0.2.24:22): ssh: connect to host 192.0.2.24 port 22: Connection timed out",
            `    its steps: ${stepsOnHost(steps, "kafka4").join(", ")}`,
            "  host orderer1 (hosts[8], fabric@198.51.100.11:22): Permission denied (publickey).",
            `    its steps: ${stepsOnHost(steps, "orderer1").join(", ")}`,
            "bring the host back (or correct its entry in hosts[]) and run up again: it resumes where this run stopped",
        ]);
        expect(stepsOnHost(steps, "kafka4")).toEqual(["deliver:kafka4", "kafka:kafka4"]);
        expect(stepsOnHost([], "kafka4")).toEqual([]);
        expect(unreachableHostsMessage(dev, [], [{ host: "kafka4", detail: "down" }])).toContain("its steps: none");
    });
});
