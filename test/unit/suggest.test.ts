/**
 * "Did you mean" (config/suggest.ts): the distance it ranks candidates by, and how close a candidate must be. The
 * validation messages that use it are pinned in config.test.ts; these pin the measure itself.
 */
import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../config/suggest";

describe("editDistance", () => {
    it("counts insertions, deletions and substitutions, from and to the empty word", () => {
        expect(editDistance("", "")).toBe(0);
        expect(editDistance("abc", "")).toBe(3);
        expect(editDistance("", "abcd")).toBe(4);
        expect(editDistance("kafka", "kafak")).toBe(1);
        expect(editDistance("ab", "cd")).toBe(2);
        expect(editDistance("brokers", "broker")).toBe(1);
        expect(editDistance("orderer", "orderers")).toBe(1);
        expect(editDistance("zookeeper", "zookeepre")).toBe(1);
    });

    it("counts a swap of two neighbours as one edit, and only a swap", () => {
        expect(editDistance("acbd", "abcd")).toBe(1);
        expect(editDistance("ba", "ab")).toBe(1);
        // Not neighbours swapped: three different letters.
        expect(editDistance("abc", "cab")).toBe(2);
        expect(editDistance("abcd", "badc")).toBe(2);
    });
});

describe("closest", () => {
    it("never offers the word itself", () => {
        expect(closest("tls", ["tls"])).toBeUndefined();
        expect(closest("tls", ["tls", "tsl"])).toBe("tsl");
    });

    it("offers a difference of case, and the first of equally close candidates", () => {
        expect(closest("TLS", ["tla", "tls"])).toBe("tls");
        expect(closest("hots", ["host", "hosts"])).toBe("host");
    });

    it("allows a third of the word's length in edits: at least 1, at most 3", () => {
        // Two letters: one edit.
        expect(closest("tl", ["tls"])).toBe("tls");
        // Six letters: two edits, not three.
        expect(closest("ordrrs", ["orderers"])).toBe("orderers");
        expect(closest("ordr", ["orderers"])).toBeUndefined();
        // Twelve letters and more: three edits at most.
        expect(closest("organizatins", ["organizations"])).toBe("organizations");
        expect(closest("organizationsxxxx", ["organizations"])).toBeUndefined();
        expect(closest("organisationsxx", ["organizations"])).toBe("organizations");
    });

    it("words the hint, or says nothing", () => {
        expect(didYouMean("kafak", ["kafka", "etcdraft"])).toBe(' did you mean "kafka"?');
        expect(didYouMean("solo", ["kafka", "etcdraft"])).toBe("");
    });
});
