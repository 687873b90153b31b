/**
 * npm run diagram -- <stack> [--out DIR]
 *
 * The topology of a stack (hosts, the containers on each, and who talks to whom) as a Mermaid flowchart and as
 * an SVG drawn from the same data, from the stack's committed settings (Pulumi.<stack>.yaml): nothing needs to
 * be deployed and no credential is read (an ssh host's key does not change the picture). The deployed stack
 * exports the same Mermaid text as its `diagram` output. Default DIR: <cache>/diagrams. With `rsvg-convert`
 * (Debian's librsvg2-bin) on PATH it also writes a PNG.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { DEFAULTS, placeholderPrivateKey, validateConfig } from "../config";
import { mermaidDiagram, topology } from "../plan";
import { topologySvg } from "./lib/diagramSvg";
import { ROOT, cacheDir } from "./lib/workspace";

/** The stack's own keys from its settings file; credentials replaced by placeholders that are never used. */
export function diagramConfig(stack: string): Record<string, unknown> {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack settings ${file}`);
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const prefix = `${DEFAULTS.namespace}:`;
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
    const hosts = (raw.hosts ?? []) as Array<{ name?: string; kind?: string }>;
    raw.credentials = Object.fromEntries(
        hosts
            .filter((h) => (h.kind ?? "ssh") === "ssh" && h.name)
            .map((h) => [h.name!, { privateKey: placeholderPrivateKey() }]),
    );
    delete raw.registryAuth;
    return raw;
}

function main(): void {
    const args = process.argv.slice(2);
    const i = args.indexOf("--out");
    const out = i >= 0 ? args[i + 1] : path.join(cacheDir(), "diagrams");
    if (!out) throw new Error("--out needs a directory");
    const stack = args.find((a, k) => !a.startsWith("--") && (i < 0 || k !== i + 1));
    if (!stack) throw new Error("usage: npm run diagram -- <stack> [--out DIR]");
    const spec = validateConfig(diagramConfig(stack), { credentials: true, registryAuth: true });
    const t = topology(spec);
    fs.mkdirSync(out, { recursive: true });
    const mmd = path.join(out, `${stack}-topology.mmd`);
    const svg = path.join(out, `${stack}-topology.svg`);
    fs.writeFileSync(mmd, mermaidDiagram(t));
    fs.writeFileSync(
        svg,
        topologySvg(
            t,
            `stack ${stack}: ${t.hosts.length} host${t.hosts.length === 1 ? "" : "s"}, ${t.links.length} links`,
        ),
    );
    console.log(mermaidDiagram(t));
    console.log(`mermaid: ${mmd}\npicture: ${svg}`);
    // A PNG as well where Debian's librsvg2-bin is installed (optional: the SVG is the picture).
    const png = svg.replace(/\.svg$/, ".png");
    if (spawnSync("rsvg-convert", ["-o", png, svg], { stdio: "ignore" }).status === 0) console.log(`png: ${png}`);
}

if (require.main === module) {
    try {
        main();
    } catch (e) {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    }
}
