/**
 * Graphs of one app in one environment, laid out by dagre (ranks left to right) and drawn as
 * inline SVG: no script, no external resource, so the page opens from disk. Two drawings: the
 * start order (dependencies, labelled with sync waves) and the allowed network flows.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { AppGraph } from './model';
import { escapeHtml as esc } from './html-escape';

const CHAR_W = 7.2;
const NODE_H = 36;

interface DrawNode {
  id: string;
  label: string;
  outside?: boolean;
}

interface DrawEdge {
  from: string;
  to: string;
  kind: 'dependency' | 'flow';
  label?: string;
  both?: boolean;
}

type Point = { x: number; y: number };
type Laid = { points?: Point[]; x?: number; y?: number };
type Box = { x: number; y: number; width: number; height: number };

/**
 * Half the width of each rank's column (ranks run left to right, so a rank is one x), keyed by x:
 * the widest node of the rank. Between two columns there is only ranksep of empty space.
 */
function columns(boxes: Box[]): Map<string, number> {
  const half = new Map<string, number>();
  for (const b of boxes) half.set(b.x.toFixed(1), Math.max(half.get(b.x.toFixed(1)) ?? 0, b.width / 2));
  return half;
}

/** Where an edge meets a node's side facing `toward`: level with it when that is on the side, else near the corner. */
function port(b: Box, toward: Point): Point {
  const inset = Math.min(8, b.height / 4);
  const y = Math.min(b.y + b.height / 2 - inset, Math.max(b.y - b.height / 2 + inset, toward.y));
  return { x: b.x + (toward.x > b.x ? b.width / 2 : -b.width / 2), y };
}

/**
 * The drawn route of an edge through dagre's points. dagre's points sit at rank positions (its dummy
 * nodes, kept clear of the rank's nodes by nodesep) but the straight segments between them cut
 * diagonally through a rank's column, under any wider node there (hyperpage prod: prometheus →
 * hyperpage through postgresql-backup). Here each point crosses its column level, so only the
 * empty space between columns is crossed diagonally, and the edge enters its target from the side.
 */
function route(points: Point[], from: Box, to: Box, half: Map<string, number>): Point[] {
  const inner = points.slice(1, -1);
  const xs = [from.x, ...inner.map((p) => p.x), to.x];
  // A self-loop or two points in one rank (dagre makes neither here): its own points.
  if (from === to || xs.some((x, i) => i > 0 && Math.abs(x - xs[i - 1]) < 0.5)) return points;
  const out: Point[] = [];
  const start = port(from, inner[0] ?? to);
  const end = port(to, inner[inner.length - 1] ?? from);
  const dir = (a: number, b: number) => (b > a ? 1 : -1);
  // Leave the source level to its column's edge, cross each rank level, arrive level with the target.
  out.push(start, { x: from.x + dir(from.x, xs[1]) * (half.get(from.x.toFixed(1)) ?? from.width / 2), y: start.y });
  inner.forEach((p, i) => {
    const w = half.get(p.x.toFixed(1)) ?? 0;
    out.push({ x: p.x - dir(xs[i], p.x) * w, y: p.y }, { x: p.x + dir(p.x, xs[i + 2]) * w, y: p.y });
  });
  out.push({ x: to.x - dir(xs[xs.length - 2], to.x) * (half.get(to.x.toFixed(1)) ?? to.width / 2), y: end.y }, end);
  return out.filter((p, i) => i === 0 || Math.abs(p.x - out[i - 1].x) > 0.05 || Math.abs(p.y - out[i - 1].y) > 0.05);
}

function draw(nodes: DrawNode[], edges: DrawEdge[], title: string): string {
  if (!nodes.length) return '<p class="legend">Nothing to draw.</p>';
  const dg = new Graph({ multigraph: true });
  dg.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 80, edgesep: 10, marginx: 12, marginy: 12 });
  for (const n of nodes) dg.setNode(n.id, { width: Math.max(80, n.label.length * CHAR_W + 20), height: NODE_H });
  edges.forEach((e, i) =>
    dg.setEdge(e.from, e.to, e.label ? { width: e.label.length * 6.4, height: 14, labelpos: 'c' } : {}, `e${i}`),
  );
  layout(dg);
  const { width = 0, height = 0 } = dg.graph() as { width?: number; height?: number };
  const parts: string[] = [];
  const half = columns(nodes.map((n) => dg.node(n.id) as Box));
  dg.edges().forEach((ref) => {
    const e = edges[Number(ref.name!.slice(1))];
    const l = dg.edge(ref) as Laid;
    const drawn = route(l.points ?? [], dg.node(e.from) as Box, dg.node(e.to) as Box, half);
    const pts = drawn.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const arrows = `marker-end="url(#arrow-${e.kind})"${e.both ? ` marker-start="url(#arrow-${e.kind})"` : ''}`;
    const what = `${e.from} ${e.both ? '↔' : '→'} ${e.to}${e.label ? ` (${e.label})` : ''}`;
    parts.push(`<polyline class="edge ${e.kind}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" points="${pts}" ${arrows}><title>${esc(what)}</title></polyline>`);
    if (e.label && l.x !== undefined && l.y !== undefined) parts.push(`<text class="edge-label" x="${l.x.toFixed(1)}" y="${(l.y + 4).toFixed(1)}">${esc(e.label)}</text>`);
  });
  for (const n of nodes) {
    const p = dg.node(n.id) as { x: number; y: number; width: number; height: number };
    parts.push(
      `<g class="node${n.outside ? ' outside' : ''}" data-node="${esc(n.id)}"><rect x="${(p.x - p.width / 2).toFixed(1)}" y="${(p.y - p.height / 2).toFixed(1)}" width="${p.width.toFixed(1)}" height="${p.height}" rx="${n.outside ? 16 : 5}"/>` +
        `<text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}">${esc(n.label)}</text></g>`,
    );
  }
  const [w, h] = [Math.ceil(width), Math.ceil(height)];
  return `<svg class="graph" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}</svg>`;
}

/** `TCP/5432 TCP/6379` → `5432,6379` (TCP is the default; other protocols keep their prefix). */
export const portLabel = (ports: string[]): string => ports.map((p) => p.replace(/^TCP\//, '')).join(',');

const components = (g: AppGraph) => g.nodes.filter((n) => !n.outside);

/** Start order: an edge from each dependency to the component that waits for it; nodes carry their sync wave. */
export function dependencySvg(g: AppGraph, title: string): string {
  const nodes = components(g).map((n) => ({ id: n.id, label: n.wave !== undefined ? `${n.id} · wave ${n.wave}` : n.id }));
  return draw(nodes, g.dependencies.map((d) => ({ ...d, kind: 'dependency' as const })), title);
}

/** Allowed network flows between components and outside peers, labelled with ports. */
export function flowSvg(g: AppGraph, title: string): string {
  const used = new Set(g.flows.flatMap((f) => [f.from, f.to]));
  const nodes = g.nodes.filter((n) => !n.outside || used.has(n.id)).map((n) => ({ id: n.id, label: n.id, outside: n.outside }));
  return draw(nodes, g.flows.map((f) => ({ from: f.from, to: f.to, kind: 'flow' as const, label: portLabel(f.ports), both: f.both })), title);
}

/** Arrow heads, once per page (ids must be unique in a document). */
export const GRAPH_DEFS =
  '<svg class="defs" width="0" height="0" aria-hidden="true"><defs>' +
  ['dependency', 'flow']
    .map((k) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow ${k}" d="M0,0 L10,5 L0,10 z"/></marker>`)
    .join('') +
  '</defs></svg>';
