/**
 * The pages: `index.html` (platforms × environments) and `<platform>.html` (matrix, graphs,
 * changes). Self-contained: inline CSS and SVG, no script, no font or image from anywhere, relative
 * links only, so the folder opens from disk and can be kept as a CI artifact.
 */
import { formatDiff, type OverlayDiff } from '@gitops/pipeline';
import { FACT_LABELS, type ComponentFacts } from './workloads';
import type { AppModel, PlatformModel } from './model';
import { dependencySvg, flowSvg, GRAPH_DEFS, portLabel } from './graph';
import { escapeHtml as esc } from './html-escape';

export interface ReportMeta {
  /** `--base` ref, when given. */
  base?: string;
  /** Changes of the committed argocd/ tree, when compared (index page only). */
  argoCd?: OverlayDiff;
}

const CSS = `
:root { --fg:#1b1f24; --muted:#5b6470; --line:#d0d7de; --bg:#fff; --head:#f4f6f8; --diff:#fff4c2; --changed:#ffd9d2; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0 24px 48px; }
header { border-bottom: 1px solid var(--line); margin-bottom: 16px; padding: 12px 0; }
h1 { font-size: 22px; margin: 0; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 20px 0 6px; } h4 { font-size: 13px; margin: 12px 0 4px; }
a { color: var(--accent); } nav a { margin-right: 12px; }
.muted, .legend { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; vertical-align: top; text-align: left; }
th { background: var(--head); font-weight: 600; }
td.fact { white-space: pre-line; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; max-width: 360px; overflow-wrap: anywhere; }
td.differs { background: var(--diff); }
td.changed { box-shadow: inset 4px 0 0 #d1242f; }
td.absent { color: var(--muted); font-style: italic; }
tr.component th { background: #e9eef4; }
.badge { display: inline-block; border-radius: 9px; padding: 0 7px; font-size: 12px; background: var(--head); border: 1px solid var(--line); margin-left: 6px; }
.badge.diff { background: var(--diff); } .badge.changed { background: var(--changed); }
.scroll { overflow-x: auto; }
svg.graph { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 6px 0 12px; background: #fbfcfd; }
svg.defs { position: absolute; }
.node rect { fill: #e7f0fb; stroke: #4a78b0; }
.node.outside rect { fill: #f3f0fa; stroke: #8a6fbf; stroke-dasharray: 4 3; }
.node text { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; text-anchor: middle; fill: var(--fg); }
.edge { fill: none; stroke-width: 1.4; }
.edge.flow { stroke: #2f7d32; } .edge.dependency { stroke: #8c959f; stroke-dasharray: 6 4; }
.arrow.flow { fill: #2f7d32; } .arrow.dependency { fill: #8c959f; }
.edge-label { font: 11px ui-monospace, monospace; fill: #2f7d32; text-anchor: middle; paint-order: stroke; stroke: #fbfcfd; stroke-width: 3px; }
details { margin: 4px 0; } summary { cursor: pointer; }
pre { background: var(--head); padding: 8px; overflow-x: auto; font-size: 12px; }
`;

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from the network, even by mistake.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body>${GRAPH_DEFS}${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}

/** Objects and SOPS files that changed in an environment: a Secret-only change is a change too. */
const changesCount = (p: PlatformModel, env: string): number =>
  (p.changes ?? [])
    .filter((d) => d.overlay.split('/')[1] === env)
    .reduce((n, d) => n + d.added.length + d.removed.length + d.changed.length + d.secrets.length, 0);

const objectsChanged = (d: OverlayDiff): number => d.added.length + d.removed.length + d.changed.length;

/** argocd/ as one more row of the index (its files are not split by environment; with platforms named, only their objects are compared). */
function argoCdRow(d: OverlayDiff, envs: number, base: string): string {
  const n = objectsChanged(d);
  return `<tr id="argocd"><th>argocd/<br><span class="muted">Argo CD objects</span></th><td colspan="${envs}"><span class="badge${n ? ' changed' : ''}">${n} changed</span>${
    n ? `<details><summary>what changed</summary><pre>${esc(formatDiff([d], base))}</pre></details>` : ''
  }</td></tr>`;
}

export function indexPage(platforms: PlatformModel[], envs: string[], meta: ReportMeta): string {
  const rows = platforms.map((p) => {
    const cells = envs.map((env) => {
      const s = p.summary[env];
      const changed = meta.base ? changesCount(p, env) : 0;
      return `<td><a href="${esc(p.name)}.html#env-${esc(env)}">${s.workloads} workloads</a><br><span class="muted">${s.objects} objects · ${s.networkPolicies} NetworkPolicies</span><br><span class="muted">${esc(s.namespaces.join(', '))}</span>${
        meta.base ? `<br><span class="badge${changed ? ' changed' : ''}">${changed} changed</span>` : ''
      }</td>`;
    });
    return `<tr><th><a href="${esc(p.name)}.html">${esc(p.name)}</a><br><span class="muted">${p.apps.length} app${p.apps.length === 1 ? '' : 's'}</span></th>${cells.join('')}</tr>`;
  });
  return page(
    'What runs where',
    `<header><h1>What runs where</h1><p class="muted">Compiled from the platform specs (the objects <code>gitops generate</code> writes)${meta.base ? `; changes against <code>${esc(meta.base)}</code> from the rendered overlays` : ''}.</p></header>
<table class="index"><thead><tr><th>platform</th>${envs.map((e) => `<th>${esc(e)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}${meta.argoCd && meta.base ? argoCdRow(meta.argoCd, envs.length, meta.base) : ''}</tbody></table>`,
  );
}

function matrix(app: AppModel, envs: string[], base: boolean): string {
  const facts = Object.keys(FACT_LABELS) as Array<keyof ComponentFacts>;
  const head = `<tr><th>component</th><th></th>${envs.map((e) => `<th id="${esc(app.name)}-${esc(e)}">${esc(e)}<br><span class="muted">${esc(app.namespaces[e] ?? '')}</span></th>`).join('')}</tr>`;
  const body = app.rows.flatMap((r) => {
    const badges = `${r.differs.length ? `<span class="badge diff" title="differs between environments">${r.differs.length} differ</span>` : ''}${
      base && Object.keys(r.changed).length ? `<span class="badge changed" title="${esc(Object.values(r.changed).flat().join('\n'))}">changed</span>` : ''
    }`;
    return facts.map((f, i) => {
      const cells = envs.map((e) => {
        const c = r.cells[e];
        if (!c) return i === 0 ? `<td class="fact absent" rowspan="${facts.length}">not deployed</td>` : '';
        const cls = ['fact', r.differs.includes(f) ? 'differs' : '', r.changed[e] ? 'changed' : ''].filter(Boolean).join(' ');
        return `<td class="${cls}">${esc(c[f] || '–')}</td>`;
      });
      const first = i === 0 ? `<th rowspan="${facts.length}" class="component-name">${esc(r.name)}${badges}</th>` : '';
      return `<tr${i === 0 ? ' class="component"' : ''} data-component="${esc(r.name)}">${first}<th class="muted">${FACT_LABELS[f]}</th>${cells.join('')}</tr>`;
    });
  });
  return `<table class="matrix"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

function graphs(app: AppModel, platform: string): string {
  return app.graphs
    .map((g) => {
      const where = `${platform}/${app.name} in ${g.env}`;
      const flows = g.networkPolicies
        ? `<p class="legend">${g.flows.length} flows allowed by ${g.networkPolicies} NetworkPolicies${g.everyComponent.length ? '; for every component also:' : ''}</p>${
            g.everyComponent.length ? `<ul class="legend">${g.everyComponent.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''
          }<div class="scroll">${flowSvg(g, `${where}: allowed network flows`)}</div><details><summary>the same flows as a list</summary><table class="flows"><thead><tr><th>from</th><th></th><th>to</th><th>ports</th></tr></thead><tbody>${g.flows
            .map((f) => `<tr><td>${esc(f.from)}</td><td>${f.both ? '↔' : '→'}</td><td>${esc(f.to)}</td><td>${esc(portLabel(f.ports))}</td></tr>`)
            .join('')}</tbody></table></details>`
        : '<p class="legend">No NetworkPolicy: all traffic is allowed (no flows drawn).</p>';
      return `<details${g.env === 'prod' ? ' open' : ''} id="${esc(app.name)}-graph-${esc(g.env)}"><summary>${esc(g.env)} <span class="muted">— ${
        g.nodes.filter((n) => !n.outside).length
      } components, ${g.dependencies.length} dependencies, ${g.flows.length} flow edges</span></summary>
<h4>Start order (dependencies, sync waves)</h4><div class="scroll">${dependencySvg(g, `${where}: dependencies and sync waves`)}</div>
<h4>Allowed network flows</h4>${flows}</details>`;
    })
    .join('');
}

export function platformPage(p: PlatformModel, meta: ReportMeta): string {
  const nav = `<nav><a href="index.html">← all platforms</a>${p.apps.length > 1 ? p.apps.map((a) => `<a href="#app-${esc(a.name)}">${esc(a.name)}</a>`).join('') : ''}</nav>`;
  const apps = p.apps.map(
    (a) => `<section id="app-${esc(a.name)}">${p.apps.length > 1 ? `<h2>${esc(a.name)}</h2>` : ''}
<h3>Components × environments</h3><p class="legend">Yellow: differs between environments${meta.base ? `; red edge: changed against <code>${esc(meta.base)}</code>` : ''}. Requests/limits are request/limit per resource.</p>
${matrix(a, p.envs, !!meta.base)}
<h3>Dependencies and network flows</h3><p class="legend">Laid out by dagre. Grey dashed: the component at the arrow starts after the one it comes from (sync-wave order); green: traffic the NetworkPolicies allow, with ports (two heads: both ways); rounded violet: outside the namespace.</p>
${graphs(a, p.name)}</section>`,
  );
  const anchors = p.envs.map((e) => `<span id="env-${esc(e)}"></span>`).join('');
  const changes = meta.base
    ? `<section id="changes"><h2>Changes against <code>${esc(meta.base)}</code></h2>${
        p.changes?.length ? `<pre>${esc(formatDiff(p.changes, meta.base))}</pre>` : '<p class="muted">No rendered changes.</p>'
      }</section>`
    : '';
  return page(`${p.name}: what runs where`, `<header><h1>${esc(p.name)}</h1>${nav}</header>${anchors}${apps.join('')}${changes}`);
}
