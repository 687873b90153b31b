/**
 * Images: every reference as Docker's grammar accepts it, pinned to a tag (not "latest") or a digest, under an
 * optional registry prefix that must itself be a registry host with optional repository path.
 */
import { DEFAULTS } from "../defaults";
import { show } from "../errors";
import { RawConfig } from "../schema";
import { IMAGE_KEYS, ImageKey, ImageSpec } from "../spec";
import { Collector } from "./collector";
import { REGISTRY_PREFIX_RE, parseImageRef } from "./values";

export function normalizeImages(
    cfg: RawConfig,
    c: Collector,
): { images: Record<ImageKey, ImageSpec>; registry: { prefix: string } } {
    const imgIn = cfg.images ?? {};
    const prefix = (imgIn.registry ?? "").replace(/\/+$/, "");
    const prefixOk = prefix === "" || REGISTRY_PREFIX_RE.test(prefix);
    if (!prefixOk) {
        c.err(
            ["images", "registry"],
            `found ${show(imgIn.registry)}; allowed: a registry host with an optional port and repository path, e.g. "registry.example.com:5000/fabric"`,
        );
    }
    if (cfg.registryAuth && !prefix) {
        c.err(
            ["registryAuth"],
            "is set but images.registry is not, so no registry would receive it; allowed: registryAuth together with images.registry",
        );
    }
    const images = {} as Record<ImageKey, ImageSpec>;
    for (const key of IMAGE_KEYS) {
        const ref = imgIn[key] ?? DEFAULTS.images[key];
        const full = prefix ? `${prefix}/${ref}` : ref;
        const parsed = parseImageRef(ref);
        if (!parsed) {
            c.err(
                ["images", key],
                `found ${show(ref)}; allowed: a Docker image reference ([registry/]name[:tag][@digest], lower-case name), e.g. ${DEFAULTS.images[key]}`,
            );
        } else if (!parsed.digest && (!parsed.tag || parsed.tag === "latest")) {
            c.err(
                ["images", key],
                `found ${show(ref)}; allowed: a reference with a pinned tag or digest, e.g. ${DEFAULTS.images[key]} (untagged or "latest" floats)`,
            );
        } else if (prefixOk && !parseImageRef(full)) {
            c.err(
                ["images", key],
                `found ${show(ref)}, which under images.registry becomes ${show(full)}, not a valid reference; allowed: a reference that stays valid under the prefix (at most 255 characters of name)`,
            );
        }
        images[key] = { ref: full };
    }
    return { images, registry: { prefix } };
}
