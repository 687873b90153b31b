/**
 * The reachability probe: every SSH host is asked over ssh whether its engine answers before anything on any
 * host starts; one that does not fails the run with one error naming the host, its address, what ssh said and
 * its steps. (Mocks: the probe's invoke fails for the addresses in `unreachable`.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { installMocks, recorded, setStackConfig, unreachable } from "../support/mocks";
import { rawStackConfig, withTestCredentials } from "../support/stacks";

async function probe(): Promise<{ ok: boolean; value: unknown }> {
    setStackConfig(withTestCredentials(rawStackConfig("dev")), ["credentials"]);
    const { loadConfig } = await import("../../config/load");
    const { buildPlan } = await import("../../plan");
    const { checkReachable } = await import("../../components/host");
    const { spec, credentials } = loadConfig();
    return checkReachable(spec, buildPlan(spec).steps, credentials).then(
        () => ({ ok: true, value: undefined }),
        (e: Error) => ({ ok: false, value: e.message }),
    );
}

describe("the reachability probe", () => {
    afterEach(() => unreachable.clear());

    it("names every host that does not answer, with its address, what ssh said and its steps", async () => {
        installMocks(false);
        unreachable.add("192.0.2.24");
        unreachable.add("203.0.113.13");
        const r = await probe();
        expect(r.ok).toBe(false);
        const message = String(r.value);
        expect(message.split("\n")).toEqual([
            "cannot reach 2 of the network's hosts over SSH, so nothing was changed on any host:",
            "  host kafka4 (hosts[6], fabric@192.0.2.24:22): ssh: connect to host 192.0.2.24 port 22: No route to host",
            "    its steps: deliver:kafka4, kafka:kafka4",
            "  host bar-org5 (hosts[12], fabric@203.0.113.13:22): ssh: connect to host 203.0.113.13 port 22: No route to host",
            expect.stringMatching(
                /^ {4}its steps: deliver:bar-org5, (cli|peer):bar\.org5\.example\.com, (peer|cli):bar\.org5\.example\.com, (cc-install:mycc:bar\.org5\.example\.com, )?channel-join:mychannel:bar\.org5\.example\.com, .*cc-server:mycc:bar\.org5\.example\.com$/,
            ),
            "bring the host back (or correct its entry in hosts[]) and run up again: it resumes where this run stopped",
        ]);
        // Neither the key nor the key file's path is in the message; the probe itself is no resource.
        expect(message).not.toMatch(/test-key-for|\.key/);
        expect(recorded).toEqual([]);
    });

    it("lets the run through when every host answers", async () => {
        installMocks(false);
        expect(await probe()).toEqual({ ok: true, value: undefined });
    });
});
