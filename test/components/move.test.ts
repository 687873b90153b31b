/**
 * A broker moved by editing the stack (`movedFrom`), as the resources Pulumi would receive (captured under
 * mocks): one carry step on the operator's machine between the two hosts, after the new host has the image, and
 * the broker's container on its new host only after the carry. (The carry itself runs for real in the e2e.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ResourceGraph } from "../support/graph";
import { buildNetwork, captured, valueOf } from "../support/mocks";
import type * as pulumi from "@pulumi/pulumi";
import { clone, rawStackConfig, withTestCredentials } from "../support/stacks";

process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "fk-home-"));

type Raw = Record<string, any>;

function moved(): Raw {
    const raw = clone(rawStackConfig("dev")) as Raw;
    raw.hosts.push({ name: "spare", address: "203.0.113.40", user: "fabric" });
    raw.ordering.kafka.brokers[3] = { host: "spare", movedFrom: "kafka4" };
    return withTestCredentials(raw);
}

describe("a broker moved to another host (movedFrom), under mocks", () => {
    let g: ResourceGraph;

    beforeAll(async () => {
        await buildNetwork(moved(), false);
        g = await ResourceGraph.build(captured);
    });

    it("carries kafka4's data once, from the old host to the new one, from the operator's machine", async () => {
        const carries = g.all.filter((c) => /-carry$/.test(c.name));
        expect(carries.map((c) => c.name)).toEqual(["kafka4-carry"]);
        const carry = carries[0]!;
        expect(carry.type).toBe("command:local:Command");
        const script = await valueOf(carry.props.create as pulumi.Output<string>);
        // Each end over its own SSH login, with its own key file: the old host first, to stop the broker.
        expect(script).toContain(`'-l' 'fabric'`);
        expect(script).toMatch(/'-i' '[^']*\/kafka4\.key'.*-- '192\.0\.2\.24'/);
        expect(script).toMatch(/'-i' '[^']*\/spare\.key'.*-- '203\.0\.113\.40'/);
        expect(script).toContain("docker stop -t 120");
        expect(script).toContain("kafka4-logs:/var/lib/kafka/data");
    });

    it("starts the broker on its new host only after the carry, which waits for the new host's image", () => {
        const carry = g.get("kafka4-carry");
        const container = g.get("kafka4-container");
        expect(g.nameOf(container.opts.provider!)).toBe("spare-docker");
        expect(g.reaches(container, carry)).toBe(true);
        expect([...g.deps(carry)].map((d) => d.name)).toEqual(["spare-kafka-image"]);
        // The other brokers neither carry nor wait for the carry.
        for (const n of ["kafka1", "kafka2", "kafka3"]) expect(g.reaches(g.get(`${n}-container`), carry)).toBe(false);
    });

    it("keeps the broker's volume name on the new host, so the carried data is what the broker mounts", () => {
        const vol = g.get("kafka4-logs-volume");
        expect(vol.props.name).toBe("kafka4-logs");
        expect(g.nameOf(vol.opts.provider!)).toBe("spare-docker");
    });
});
