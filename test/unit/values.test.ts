/**
 * The value grammars several normalizers share (config/validate/values.ts): sizes, addresses, durations, image
 * references, logging specs, JVM options and versions. The messages built on them are pinned in config.test.ts and
 * badConfigs.ts; these pin the grammars at their edges.
 */
import { describe, expect, it } from "vitest";
import { Collector } from "../../config/validate/collector";
import {
    compareVersions,
    heapOptsProblem,
    isAddress,
    loggingSpecProblem,
    parseDurationMs,
    parseImageRef,
    parseSize,
    sizeAt,
} from "../../config/validate/values";

const MIB = 1024 * 1024;

describe("parseSize", () => {
    it("reads every unit as binary, in any case, with or without a space", () => {
        expect(parseSize("10 B")).toBe(10);
        expect(parseSize("10")).toBe(10);
        expect(parseSize("512 kb")).toBe(512 * 1024);
        expect(parseSize("512KB")).toBe(512 * 1024);
        expect(parseSize("98MB")).toBe(98 * MIB);
        expect(parseSize("2 GB")).toBe(2 * 1024 * MIB);
        expect(parseSize(" 10 MB ")).toBe(10 * MIB);
        expect(parseSize(4096)).toBe(4096);
    });

    it("refuses anything before or after the size", () => {
        for (const bad of ["x10 MB", "10 MBx", "10 MB.", "10 TB", "ten MB", "-1 MB", "", "MB"])
            expect(parseSize(bad), bad).toBeUndefined();
    });
});

describe("sizeAt", () => {
    const at = (v: string | number | undefined) => {
        const c = new Collector();
        return { value: sizeAt(c, ["kafka", "messageMaxBytes"], v, 7), issues: c.issues };
    };

    it("takes the default when unset and the size when readable", () => {
        expect(at(undefined)).toEqual({ value: 7, issues: [] });
        expect(at("1 KB")).toEqual({ value: 1024, issues: [] });
        expect(at(1)).toEqual({ value: 1, issues: [] });
    });

    it("reports zero, negatives and unreadable sizes at their path, and goes on with the default", () => {
        for (const bad of ["0 MB", 0, -5, "lots"])
            expect(at(bad), String(bad)).toEqual({
                value: 7,
                issues: [
                    {
                        path: "fabric-kafka:kafka.messageMaxBytes",
                        message: `found ${JSON.stringify(bad)}; allowed: a size such as "10 MB", "512 KB" or a number of bytes`,
                    },
                ],
            });
    });
});

describe("isAddress", () => {
    it("takes dotted quads with every part in 0..255, at most three digits each", () => {
        expect(isAddress("192.0.2.255")).toBe(true);
        expect(isAddress("198.51.100.0")).toBe(true);
        for (const bad of ["192.0.2.256", "192.0.2", "192.0.2.1.5", "192.0.2.0001", "192..2.1", "192.0.2."])
            expect(isAddress(bad), bad).toBe(false);
    });

    it("takes host names in any case, digits-only labels among letters included", () => {
        for (const good of ["node1.example.com", "Node1.Example.COM", "host.10", "10.host", "localhost"])
            expect(isAddress(good), good).toBe(true);
        for (const bad of ["-node.example.com", "node_1.example.com", "node .example.com", ""])
            expect(isAddress(bad), bad).toBe(false);
    });
});

describe("parseDurationMs", () => {
    it("reads milliseconds, seconds and minutes, with numbers of any length", () => {
        expect(parseDurationMs("500ms")).toBe(500);
        expect(parseDurationMs("2s")).toBe(2000);
        expect(parseDurationMs("12s")).toBe(12_000);
        expect(parseDurationMs("1m")).toBe(60_000);
    });

    it("refuses other units and anything around the duration", () => {
        for (const bad of ["2h", "x2s", "2sx", "2 s", "s", "1.5s", ""])
            expect(parseDurationMs(bad), bad).toBeUndefined();
    });
});

describe("parseImageRef", () => {
    it("splits name, tag and digest", () => {
        expect(parseImageRef("hyperledger/fabric-peer:2.5")).toEqual({ name: "hyperledger/fabric-peer", tag: "2.5" });
        expect(parseImageRef(`fabric@sha256:${"ab".repeat(32)}`)).toEqual({
            name: "fabric",
            digest: `sha256:${"ab".repeat(32)}`,
        });
        expect(parseImageRef("busybox")).toEqual({ name: "busybox" });
    });

    it("reads the first component as a registry only when it has a '.' or ':' or is localhost", () => {
        // A registry host may have capitals; a repository name may not.
        expect(parseImageRef("Registry.example.com/hyperledger/fabric-peer:2.5")).toEqual({
            name: "Registry.example.com/hyperledger/fabric-peer",
            tag: "2.5",
        });
        expect(parseImageRef("localhost:5000/fabric")).toEqual({ name: "localhost:5000/fabric" });
        expect(parseImageRef("Hyperledger/fabric-peer")).toBeUndefined();
    });

    it("takes a name of up to 255 characters and a reference of up to 512", () => {
        expect(parseImageRef("a".repeat(255))).toEqual({ name: "a".repeat(255) });
        expect(parseImageRef("a".repeat(256))).toBeUndefined();
        const digestOf = (hex: number) => `fabric@sha256:${"a".repeat(hex)}`;
        expect(digestOf(498)).toHaveLength(512);
        expect(parseImageRef(digestOf(498))).toEqual({ name: "fabric", digest: `sha256:${"a".repeat(498)}` });
        expect(parseImageRef(digestOf(499))).toBeUndefined();
    });
});

describe("loggingSpecProblem", () => {
    it("takes a default level and per-logger levels", () => {
        expect(loggingSpecProblem("INFO")).toBeUndefined();
        expect(loggingSpecProblem("gossip,msp=warning:info")).toBeUndefined();
        expect(loggingSpecProblem("info:orderer.common.server=WARNING")).toBeUndefined();
    });

    it("names the part that is wrong", () => {
        expect(loggingSpecProblem("info:debug")).toBe("more than one default level");
        expect(loggingSpecProblem("gossip=msp=info")).toBe("term \"gossip=msp=info\" has more than one '='");
        expect(loggingSpecProblem("loud")).toBe('unknown level "loud"');
        expect(loggingSpecProblem("go ssip=info")).toBe('logger name "go ssip" is not one');
    });
});

describe("heapOptsProblem", () => {
    it("takes sizes with and without a unit", () => {
        expect(heapOptsProblem("-Xmx1073741824 -Xms512M")).toBeUndefined();
        expect(heapOptsProblem("-Xmx65536k")).toBeUndefined();
        expect(heapOptsProblem("-Xmx64M")).toBeUndefined();
        expect(heapOptsProblem("-Xmx1g -XX:+UseG1GC -Dlog4j.level=INFO")).toBeUndefined();
    });

    it("refuses a maximum heap below 64 MiB, whatever its unit", () => {
        expect(heapOptsProblem("-Xmx65535k")).toBe("-Xmx65535k is below 64 MiB, too small for a broker to start");
        expect(heapOptsProblem("-Xmx1024k")).toBe("-Xmx1024k is below 64 MiB, too small for a broker to start");
        expect(heapOptsProblem("-Xmx63M")).toBe("-Xmx63M is below 64 MiB, too small for a broker to start");
    });

    it("refuses an initial heap above the maximum, in either order", () => {
        const msg = "the initial heap -Xms1G is larger than the maximum -Xmx512M, which the JVM refuses";
        expect(heapOptsProblem("-Xms1G -Xmx512M")).toBe(msg);
        expect(heapOptsProblem("-Xmx512M -Xms1G")).toBe(msg);
    });
});

describe("compareVersions", () => {
    it("compares part by part, a missing part counting as 0", () => {
        expect(compareVersions("1.0.1", "1.0")).toBeGreaterThan(0);
        expect(compareVersions("1.0", "1.0.1")).toBeLessThan(0);
        expect(compareVersions("2.0", "2.0.0")).toBe(0);
        expect(compareVersions("0.10.2", "0.9.0")).toBeGreaterThan(0);
    });
});
