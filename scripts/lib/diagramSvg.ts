/**
 * Draws the topology (plan/diagram.ts) as an SVG without a browser: hosts as boxes in columns by the tier they
 * serve (consensus nodes, orderers, peers), containers inside, links as curves coloured by kind. A Mermaid
 * renderer needs a headless browser, which cannot be installed from the registries reachable here; the same
 * data drawn directly needs nothing.
 */
import { LinkKind, Topology, TopologyHost } from "../../plan/diagram";
import { Role } from "../../plan/types";

const ROLE_TIER: Readonly<Record<Role, number>> = {
    zookeeper: 0,
    kafka: 1,
    orderer: 2,
    peer: 3,
    couchdb: 3,
    cli: 3,
    chaincode: 3,
};

const ROLE_FILL: Readonly<Record<Role, string>> = {
    zookeeper: "#ede7f6",
    kafka: "#e3f2fd",
    orderer: "#fff3e0",
    peer: "#e8f5e9",
    couchdb: "#efebe9",
    cli: "#f5f5f5",
    chaincode: "#fce4ec",
};

const LINK_COLOUR: Readonly<Record<LinkKind, string>> = {
    consensus: "#5e35b1",
    orders: "#1e88e5",
    blocks: "#fb8c00",
    gossip: "#43a047",
    chaincode: "#d81b60",
    admin: "#9e9e9e",
    state: "#6d4c41",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const NODE_W = 230;
const NODE_H = 26;
const HOST_PAD = 8;
const HOST_HEAD = 20;
const COL_GAP = 150;
const HOST_GAP = 14;
const TOP = 60;
const LEFT = 20;

interface Box {
    readonly x: number;
    readonly y: number;
    readonly col: number;
}

function hostTier(h: TopologyHost): number {
    return Math.min(...h.nodes.map((n) => ROLE_TIER[n.role]));
}

export function topologySvg(t: Topology, title: string): string {
    const hosts = t.hosts.filter((h) => h.nodes.length > 0);
    const tiers = [...new Set(hosts.map(hostTier))].sort((a, b) => a - b);
    const colOf = new Map(tiers.map((tier, i) => [tier, i]));
    const colHeight = tiers.map(() => TOP);
    const hostBoxes: Array<{ h: TopologyHost; x: number; y: number; height: number }> = [];
    const nodes = new Map<string, Box>();
    for (const h of hosts) {
        const col = colOf.get(hostTier(h))!;
        const x = LEFT + col * (NODE_W + 2 * HOST_PAD + COL_GAP);
        const y = colHeight[col]!;
        const height = HOST_HEAD + h.nodes.length * (NODE_H + 4) + HOST_PAD;
        hostBoxes.push({ h, x, y, height });
        h.nodes.forEach((n, i) => nodes.set(n.name, { x: x + HOST_PAD, y: y + HOST_HEAD + i * (NODE_H + 4), col }));
        colHeight[col] = y + height + HOST_GAP;
    }
    // Room for the arcs right of the last column, and for the legend.
    const width = Math.max(
        LEFT * 2 + tiers.length * (NODE_W + 2 * HOST_PAD) + Math.max(0, tiers.length - 1) * COL_GAP + 140,
        680,
    );
    const height = Math.max(...colHeight, TOP) + 30;
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="${LEFT}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ];
    let lx = LEFT;
    for (const [kind, colour] of Object.entries(LINK_COLOUR)) {
        out.push(`<line x1="${lx}" y1="38" x2="${lx + 18}" y2="38" stroke="${colour}" stroke-width="2"/>`);
        out.push(`<text x="${lx + 22}" y="42">${kind}</text>`);
        lx += 40 + kind.length * 7;
    }
    for (const b of hostBoxes) {
        out.push(
            `<rect x="${b.x}" y="${b.y}" width="${NODE_W + 2 * HOST_PAD}" height="${b.height}" rx="6" fill="#fafafa" stroke="#607d8b"/>`,
        );
        const where = b.h.kind === "local" ? "this machine" : b.h.address;
        out.push(`<text x="${b.x + 6}" y="${b.y + 14}" font-weight="bold">${esc(`${b.h.name} (${where})`)}</text>`);
    }
    // Links under the nodes: curves between facing sides; within one column, an arc on the right.
    for (const l of t.links) {
        const a = nodes.get(l.from);
        const b = nodes.get(l.to);
        if (!a || !b) continue;
        const ay = a.y + NODE_H / 2;
        const by = b.y + NODE_H / 2;
        let d: string;
        if (a.col === b.col) {
            const x = a.x + NODE_W;
            const bulge = 20 + Math.min(110, Math.abs(by - ay) / 4);
            d = `M${x},${ay} C${x + bulge},${ay} ${x + bulge},${by} ${x},${by}`;
        } else {
            const [ax, bx] = a.col < b.col ? [a.x + NODE_W, b.x] : [a.x, b.x + NODE_W];
            const mid = (ax + bx) / 2;
            d = `M${ax},${ay} C${mid},${ay} ${mid},${by} ${bx},${by}`;
        }
        const dash = l.kind === "gossip" || l.kind === "admin" ? ` stroke-dasharray="4 3"` : "";
        out.push(
            `<path d="${d}" fill="none" stroke="${LINK_COLOUR[l.kind]}" stroke-opacity="0.6" stroke-width="1.3"${dash}><title>${esc(`${l.from} → ${l.to} (${l.kind})`)}</title></path>`,
        );
    }
    for (const h of hosts) {
        for (const n of h.nodes) {
            const b = nodes.get(n.name)!;
            const ports = n.ports.length ? ` :${n.ports.join(" :")}` : "";
            out.push(
                `<rect x="${b.x}" y="${b.y}" width="${NODE_W}" height="${NODE_H}" rx="3" fill="${ROLE_FILL[n.role]}" stroke="#90a4ae"/>`,
            );
            out.push(`<text x="${b.x + 5}" y="${b.y + 11}">${esc(n.name)}</text>`);
            out.push(
                `<text x="${b.x + 5}" y="${b.y + 22}" fill="#666666" font-size="9">${esc(`${n.role}${ports}`)}</text>`,
            );
        }
    }
    out.push("</svg>");
    return `${out.join("\n")}\n`;
}
