/**
 * Writes the plan as the TypeScript a person would write: one module per component under
 * src/components/, secrets and ConfigMaps in their own modules (file contents stay files under
 * config/), NetworkPolicies, an index that assembles the platform, releases.yaml, a README with
 * the import report, and a render test. Output is deterministic.
 */
import { stringify } from 'yaml';
import type { ComponentSpec } from '@gitops/core';
import type { ImportPlan } from './plan';
import { networkPolicyData } from './spec';
import { reportMarkdown } from './report';

const IDENT = /^[A-Za-z_$][\w$]*$/;
const WIDTH = 110;

/** Verbatim code inside a literal: a reference to a shared constant. */
class Code {
  constructor(readonly text: string) {}
}

/** A value as a TypeScript literal: single quotes, bare keys, short things on one line. */
export function lit(v: unknown, indent = ''): string {
  if (v instanceof Code) return v.text;
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    const one = `[${v.map((x) => lit(x, inner)).join(', ')}]`;
    if (one.length + indent.length <= WIDTH && !one.includes('\n')) return one;
    return `[\n${v.map((x) => `${inner}${lit(x, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (!entries.length) return '{}';
  const key = (k: string) => (IDENT.test(k) ? k : quote(k));
  const one = `{ ${entries.map(([k, x]) => `${key(k)}: ${lit(x, inner)}`).join(', ')} }`;
  if (one.length + indent.length <= WIDTH && !one.includes('\n')) return one;
  return `{\n${entries.map(([k, x]) => `${inner}${key(k)}: ${lit(x, inner)},`).join('\n')}\n${indent}}`;
}

function quote(s: string): string {
  // Scripts and other multi-line text read best as template literals.
  if (s.includes('\n') && s.length > 80) return `\`${s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

const COMPONENT_ORDER: Array<keyof ComponentSpec> = [
  'name', 'kind', 'description', 'image', 'tag', 'command', 'args', 'workingDir', 'ports', 'env', 'envFrom', 'probes',
  'dependsOn', 'waitForDependencies', 'hook', 'backoffLimit', 'volumes', 'securityContext', 'terminationGracePeriodSeconds',
  'strategy', 'annotations', 'service', 'settings',
];

function ordered(spec: ComponentSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of COMPONENT_ORDER) if (spec[k] !== undefined) out[k] = spec[k];
  for (const [k, v] of Object.entries(spec)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

export type FileMap = Map<string, string>;

interface SharedList {
  name: string;
  field: 'env' | 'volumes';
  items: unknown[];
  users: string[];
}

const SHARED_TYPES = { env: 'EnvVarSpec', volumes: 'VolumeSpec' } as const;
const MIN_SHARED = { env: 3, volumes: 2 } as const;

/**
 * Lists several components start with the same items (what YAML anchors and merge keys shared in
 * the compose file) become one constant in src/common.ts, as a person would factor them out.
 */
function sharedLists(plan: ImportPlan): SharedList[] {
  const out: SharedList[] = [];
  const taken = new Set(plan.components.map((c) => c.varName));
  for (const field of ['env', 'volumes'] as const) {
    const lists = plan.components.map((c) => ({ name: c.spec.name, items: ((c.spec[field] ?? []) as unknown[]).map((x) => JSON.stringify(x)) }));
    const used = new Set<string>();
    for (;;) {
      let best: { items: string[]; users: string[] } | undefined;
      for (const cand of lists) {
        if (used.has(cand.name) || cand.items.length < MIN_SHARED[field]) continue;
        const users = lists.filter((l) => !used.has(l.name) && cand.items.every((k, i) => l.items[i] === k)).map((l) => l.name);
        if (users.length < 2) continue;
        if (!best || users.length > best.users.length || (users.length === best.users.length && cand.items.length > best.items.length)) best = { items: cand.items, users };
      }
      if (!best) break;
      best.users.forEach((u) => used.add(u));
      const prefix = commonDashPrefix(best.users) || plan.platform;
      let name = camelCase(`${prefix}-${field}`);
      for (let i = 2; taken.has(name); i++) name = camelCase(`${prefix}-${field}-${i}`);
      taken.add(name);
      out.push({ name, field, items: best.items.map((x) => JSON.parse(x)), users: best.users });
    }
  }
  return out;
}

function commonDashPrefix(names: string[]): string {
  const parts = names.map((n) => n.split('-'));
  const out: string[] = [];
  for (let i = 0; parts.every((p) => p[i] !== undefined && p[i] === parts[0][i]); i++) out.push(parts[0][i]);
  return out.join('-');
}

const camelCase = (s: string) => s.replace(/-+(.)/g, (_m, c: string) => c.toUpperCase());

/** Every file of the platform library, relative to libs/platforms/<name>/. */
export function emitLibrary(plan: ImportPlan): FileMap {
  const files: FileMap = new Map();
  const p = plan.platform;

  const shared = sharedLists(plan);
  if (shared.length) {
    const types = [...new Set(shared.map((l) => SHARED_TYPES[l.field]))].sort();
    files.set(
      'src/common.ts',
      `/** What several compose services shared (YAML anchors and merge keys in the compose file). */\n` +
        `import type { ${types.join(', ')} } from '@gitops/core';\n\n` +
        shared.map((l) => `/** Used by ${l.users.join(', ')}. */\nexport const ${l.name}: ${SHARED_TYPES[l.field]}[] = ${lit(l.items)};\n`).join('\n'),
    );
  }

  for (const c of plan.components) {
    const body = ordered(c.spec);
    const uses = shared.filter((l) => l.users.includes(c.spec.name));
    for (const l of uses) {
      const rest = (c.spec[l.field] as unknown[]).slice(l.items.length);
      body[l.field] = rest.length ? [new Code(`...${l.name}`), ...rest] : new Code(l.name);
    }
    const why: string[] = [];
    if (c.spec.tag === 'latest') why.push('// Unpinned in compose: validate rejects "latest" in prod. Pin a version in releases.yaml and drop `tag`.');
    files.set(
      `src/components/${c.spec.name}.ts`,
      `/** ${c.summary}. The import report in README.md lists what was changed or not carried. */\n` +
        `import type { ComponentSpec } from '@gitops/core';\n` +
        (uses.length ? `import { ${uses.map((l) => l.name).join(', ')} } from '../common';\n` : '') +
        '\n' +
        (why.length ? `${why.join('\n')}\n` : '') +
        `export const ${c.varName}: ComponentSpec = ${lit(body)};\n`,
    );
  }

  if (plan.secrets.length) {
    files.set(
      'src/secrets.ts',
      `/**\n * Declared Secrets (names and keys only). The import wrote their values encrypted with SOPS to\n` +
        ` * environments/<env>/${p}/secrets/<name>.enc.yaml; keys it knew no value for hold CHANGE-ME\n * until \`gitops secrets set\`.\n */\n` +
        `import type { SecretDecl } from '@gitops/core';\n\nexport const secrets: SecretDecl[] = ${lit(plan.secrets)};\n`,
    );
  }

  if (plan.configMaps.length) {
    const entries = plan.configMaps.map((cm) => {
      for (const [k, v] of Object.entries(cm.data)) files.set(`config/${cm.name}/${k}`, v);
      const data = Object.keys(cm.data).map((k) => `${IDENT.test(k) ? k : quote(k)}: file(${quote(`${cm.name}/${k}`)})`);
      return `  // From ${cm.source}.\n  { name: ${quote(cm.name)}, data: { ${data.join(', ')} } },`;
    });
    files.set(
      'src/config.ts',
      `/** ConfigMaps with the content of files the compose services mounted; the files live in ../config/. */\n` +
        `import { readFileSync } from 'node:fs';\nimport { fileURLToPath } from 'node:url';\nimport type { ConfigMapSpec } from '@gitops/core';\n\n` +
        `const file = (path: string): string => readFileSync(fileURLToPath(new URL(\`../config/\${path}\`, import.meta.url)), 'utf8');\n\n` +
        `export const configMaps: ConfigMapSpec[] = [\n${entries.join('\n')}\n];\n`,
    );
  }

  files.set(
    'src/network-policies.ts',
    `/**\n * Compose's network, as policies: ingress is denied by default, open between this platform's pods,\n` +
      ` * and open from anywhere on the ports compose published. Egress stays open, as in compose.\n */\n` +
      `import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';\n\n` +
      `export const networkPolicies = (): NetworkPolicy[] => [\n${networkPolicyData(plan)
        .map(({ apiVersion: _a, kind: _k, ...rest }) => `  new NetworkPolicy(${lit(rest, '  ')}),`)
        .join('\n')}\n];\n`,
  );

  const imports = [
    `import { fileURLToPath } from 'node:url';`,
    `import { loadReleases, type PlatformSpec } from '@gitops/core';`,
    ...(plan.configMaps.length ? [`import { configMaps } from './config';`] : []),
    ...(plan.secrets.length ? [`import { secrets } from './secrets';`] : []),
    `import { networkPolicies } from './network-policies';`,
    ...plan.components.map((c) => `import { ${c.varName} } from './components/${c.spec.name}';`),
  ];
  const app: string[] = [
    `      name: ${quote(p)},`,
    `      namespace: ${quote(plan.namespace)},`,
    ...(plan.configMaps.length ? ['      configMaps,'] : []),
    ...(plan.secrets.length ? ['      secrets,'] : []),
    ...(plan.volumes.length ? [`      volumes: ${lit(plan.volumes, '      ')},`] : []),
    `      components: [${plan.components.map((c) => c.varName).join(', ')}],`,
    '      objects: () => networkPolicies(),',
  ];
  files.set(
    'src/index.ts',
    `/**\n * The ${p} platform, imported from Docker Compose (${plan.sources.join(', ')}) by \`gitops import compose\`.\n` +
      ` * It is ordinary platform code now: edit it like any other. README.md lists what the import changed.\n */\n` +
      `${imports.join('\n')}\n\n` +
      `const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));\n\n` +
      `export const platform: PlatformSpec = {\n  name: ${quote(p)},\n  description: ${quote(plan.description)},\n  releases,\n  apps: [\n    {\n${app.join('\n')}\n    },\n  ],\n};\n`,
  );

  const images = Object.fromEntries(Object.entries(plan.releases).map(([repo, tag]) => [repo, { dev: tag, staging: tag, prod: tag }]));
  files.set(
    'releases.yaml',
    `# Image tags per environment, from the compose file. Promote by changing a tag here, then \`npx gitops generate ${p}\`.\n` +
      stringify({ images }, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
  );

  files.set('README.md', reportMarkdown(plan));

  const names = plan.components.map((c) => c.spec);
  files.set(
    'test/render.test.ts',
    `import { beforeAll, describe, expect, it } from 'vitest';\nimport { renderForTest, renderVsCompile, type RenderedPlatform } from '@gitops/pipeline';\n\n` +
      `let r: RenderedPlatform;\nbeforeAll(async () => {\n  r = await renderForTest(${quote(p)});\n});\n\n` +
      `describe(${quote(p)}, () => {\n  it('renders exactly what was compiled', () => {\n    expect(renderVsCompile(r)).toEqual([]);\n  });\n\n` +
      `  it('has one workload per compose service in every environment', () => {\n    for (const env of ['dev', 'staging', 'prod']) {\n` +
      names.map((c) => `      expect(r.get(env, ${quote(c.kind)}, ${quote(c.name)})).toBeTruthy();`).join('\n') +
      `\n    }\n  });\n});\n`,
  );
  return files;
}
