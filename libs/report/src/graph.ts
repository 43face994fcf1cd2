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

type Laid = { points?: Array<{ x: number; y: number }>; x?: number; y?: number };

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
  dg.edges().forEach((ref) => {
    const e = edges[Number(ref.name!.slice(1))];
    const l = dg.edge(ref) as Laid;
    const pts = (l.points ?? []).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const arrows = `marker-end="url(#arrow-${e.kind})"${e.both ? ` marker-start="url(#arrow-${e.kind})"` : ''}`;
    const what = `${e.from} ${e.both ? '↔' : '→'} ${e.to}${e.label ? ` (${e.label})` : ''}`;
    parts.push(`<polyline class="edge ${e.kind}" points="${pts}" ${arrows}><title>${esc(what)}</title></polyline>`);
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
