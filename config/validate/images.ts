/** Images: every image pinned to a tag, under an optional registry prefix. */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { IMAGE_KEYS, ImageKey, ImageSpec } from "../spec";
import { Collector } from "./collector";
import { TAG_RE } from "./values";

export function normalizeImages(
    cfg: RawConfig,
    c: Collector,
): { images: Record<ImageKey, ImageSpec>; registry: { prefix: string; authenticated: boolean } } {
    const imgIn = cfg.images ?? {};
    const prefix = (imgIn.registry ?? "").replace(/\/+$/, "");
    const images = {} as Record<ImageKey, ImageSpec>;
    for (const key of IMAGE_KEYS) {
        const ref = imgIn[key] ?? DEFAULTS.images[key];
        const tagSep = ref.lastIndexOf(":");
        const tag = tagSep > ref.lastIndexOf("/") ? ref.slice(tagSep + 1) : "";
        if (!tag || tag === "latest" || !TAG_RE.test(tag)) {
            c.err(
                ["images", key],
                `found ${show(ref)}; allowed: a reference with a pinned tag, e.g. ${DEFAULTS.images[key]} (untagged or "latest" floats)`,
            );
        }
        images[key] = { ref: prefix ? `${prefix}/${ref}` : ref };
    }
    return { images, registry: { prefix, authenticated: cfg.registryAuth !== undefined } };
}
