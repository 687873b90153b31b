import { describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, recorded, setStackConfig } from "../support/mocks";
import { clone, rawStackConfig, testKey, withTestCredentials } from "../support/stacks";

/** What loadConfig reports: the error diagnostic (logged once) and the short RunError it throws. */
async function loadFailure(stackFile: unknown = null): Promise<{ logged: string[]; thrown: unknown }> {
    const logged: string[] = [];
    const spy = vi.spyOn(pulumi.log, "error").mockImplementation((msg: string) => {
        logged.push(msg);
        return Promise.resolve();
    });
    const { loadConfig } = await import("../../config/load");
    let thrown: unknown;
    try {
        loadConfig({ stackFile });
    } catch (e) {
        thrown = e;
    }
    spy.mockRestore();
    return { logged, thrown };
}

describe("a bad configuration", () => {
    it("fails before any resource is registered, listing every problem once, without a stack trace", async () => {
        installMocks(false);
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as any;
        raw.ordering.kafka.replicationFactor = 4;
        raw.hosts[3].address = "192.0.2.300";
        setStackConfig(raw, ["credentials"]);
        const { logged, thrown } = await loadFailure();
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatch(
            /^The stack configuration has 2 problems; nothing was deployed\.\n.*hosts\[3\]\.address.*\n.*replicationFactor/s,
        );
        // A RunError: the engine prints its message without a JavaScript stack trace.
        expect(pulumi.RunError.isInstance(thrown)).toBe(true);
        expect((thrown as Error).message).toBe(
            "nothing was deployed: the stack configuration has 2 problems, listed above",
        );
        await new Promise((r) => setTimeout(r, 50));
        expect(recorded).toEqual([]);
    });

    it("refuses credentials stored in plaintext", async () => {
        installMocks(false);
        setStackConfig(withTestCredentials(rawStackConfig("dev")), []);
        const { logged } = await loadFailure();
        expect(logged[0]).toMatch(/pulumi config set --secret --path 'credentials\.zookeeper1\.privateKey'/);
        expect(recorded).toEqual([]);
    });

    it("reads the whole namespace: a misspelt top-level key is an error naming it", async () => {
        installMocks(false);
        const raw = clone(withTestCredentials(rawStackConfig("dev"))) as any;
        raw.chaincode = raw.chaincodes;
        delete raw.chaincodes;
        setStackConfig(raw, ["credentials"]);
        const { logged } = await loadFailure();
        expect(logged[0]).toContain(
            'fabric-kafka:chaincode: unknown key "chaincode" in the fabric-kafka namespace; did you mean "chaincodes"?',
        );
    });

    it("refuses one plaintext key among secret ones, as the stack file shows it", async () => {
        installMocks(false);
        const raw = withTestCredentials(rawStackConfig("dev")) as any;
        setStackConfig(raw, ["credentials"]);
        // The stack file as `pulumi config set --path` writes it: one value left without --secret.
        const creds = Object.fromEntries(
            Object.keys(raw.credentials).map((h) => [
                h,
                { privateKey: h === "kafka3" ? testKey(h) : { secure: "v1:AAAA" } },
            ]),
        );
        const { logged } = await loadFailure({ config: { "fabric-kafka:credentials": creds } });
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain("The stack configuration has 1 problem");
        expect(logged[0]).toContain(
            "fabric-kafka:credentials.kafka3.privateKey: is stored in plaintext in the stack file",
        );
    });

    it("hands every ssh host the default credential unless it has its own, each as a secret", async () => {
        installMocks(false);
        const raw = clone(rawStackConfig("dev")) as any;
        raw.defaultCredential = { privateKey: testKey("shared") };
        raw.credentials = { kafka1: { privateKey: testKey("kafka1") } };
        setStackConfig(raw, ["credentials", "defaultCredential"]);
        const { loadConfig } = await import("../../config/load");
        const cfg = loadConfig({ stackFile: null });
        expect(Object.keys(cfg.credentials)).toHaveLength(13);
        const value = (o: pulumi.Output<string>) => new Promise<string>((r) => o.apply(r));
        expect(await value(cfg.credentials.kafka1!.privateKey!)).toBe(testKey("kafka1"));
        expect(await value(cfg.credentials.orderer2!.privateKey!)).toBe(testKey("shared"));
        expect(await pulumi.isSecret(cfg.credentials.orderer2!.privateKey!)).toBe(true);
    });
});
