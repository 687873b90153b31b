/** A CLI resolves what its scripts dial, and no more: its host list must not grow with every peer of the network. */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config";
import { allPeers, channelOrgs, cliContainer, endorsingPeer } from "../../plan";
import { scaledConfig } from "../bench/preview";
import { SECRET, stackSpec, withTestCredentials } from "../support/stacks";

const scaled = (n: number) => validateConfig(withTestCredentials(scaledConfig(n)), SECRET);

describe("a CLI container's host list", () => {
    it("resolves every endorsing peer and orderer on another host that commit and invoke dial", () => {
        for (const spec of [stackSpec("dev"), scaled(50)]) {
            for (const p of allPeers(spec)) {
                const names = new Set(cliContainer(spec, p).extraHosts.map((e) => e.host));
                const dialled = [
                    ...spec.orderers,
                    ...spec.channels
                        .filter((c) => c.organizations.includes(p.org))
                        .flatMap((c) => channelOrgs(spec, c).map(endorsingPeer)),
                ].filter((x) => x.host !== p.host);
                for (const x of dialled) expect(names.has(x.fqdn), `${p.fqdn} → ${x.fqdn}`).toBe(true);
            }
        }
    });

    it("grows with the number of orgs, not with the number of peers", () => {
        const spec = scaled(100);
        const orgs = spec.organizations.length;
        for (const p of allPeers(spec)) {
            expect(cliContainer(spec, p).extraHosts.length).toBeLessThanOrEqual(spec.orderers.length + orgs);
        }
        expect(allPeers(spec).length).toBeGreaterThan(spec.orderers.length + orgs);
    });
});
