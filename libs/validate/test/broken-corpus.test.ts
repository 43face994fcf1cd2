/**
 * Broken corpus: every YAML file under corpus/broken states in its header what must be reported.
 *
 *   # policy: restricted|baseline|privileged|none      (default none)
 *   # declared: <name>[/<namespace>]=<key>,<key>        (declaredSecrets, repeatable)
 *   # ignore: <rule> <rule>                             (rules not under test in this file)
 *   # expect: <Kind>/<name> <rule> <path> [error|warning] [~ <message substring>]
 *   # storage-classes: <class> <class>                 (the environment's storage classes)
 *   # repo: <url> <existing path> <existing path>      (the repository Argo CD Applications pull from)
 *   # overlay: <platform>                              (starts the objects of one overlay; cross-overlay rules)
 *   # env: <environment>                               (default: the policy level)
 *   # release: <repository> <env>=<tag|digest> …        (the platform's releases, repeatable)
 *   # addon-namespaces: <ns> <ns>                      (the cluster add-ons' namespaces; cross-overlay rules)
 *
 * The findings (minus ignored rules) must be exactly the expected ones: rule, object and field path.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { releasePolicyProblems } from '@gitops/environments';
import { findForeignNamespaces, findSharedObjects, RULES, validateObjects, type DeclaredSecret, type PolicyLevel, type ReleasesInput, type RepoPaths } from '../src';
import { CORPUS, loadFile, yamlFiles } from './helpers';

interface Expectation {
  object: string;
  rule: string;
  path: string;
  severity?: string;
  message?: string;
}

function header(file: string) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('# '));
  let policy: PolicyLevel = 'none';
  const declared: DeclaredSecret[] = [];
  const ignore = new Set<string>();
  const expects: Expectation[] = [];
  let env: string | undefined;
  let releases: ReleasesInput | undefined;
  let storageClasses: string[] | undefined;
  let repo: RepoPaths | undefined;
  let addonNamespaces: string[] = [];
  for (const l of lines) {
    const m = /^# (policy|declared|ignore|expect|env|release|storage-classes|repo|addon-namespaces): (.*)$/.exec(l);
    if (!m) continue;
    const [, key, value] = m;
    if (key === 'policy') policy = value.trim() as PolicyLevel;
    if (key === 'ignore') value.split(/\s+/).forEach((r) => ignore.add(r));
    if (key === 'env') env = value.trim();
    if (key === 'storage-classes') storageClasses = value.trim().split(/\s+/);
    if (key === 'addon-namespaces') addonNamespaces = value.trim().split(/\s+/);
    if (key === 'repo') {
      const [url, ...paths] = value.trim().split(/\s+/);
      repo = { url, pathExists: (p) => paths.includes(p) };
    }
    if (key === 'release') {
      const [repo, ...pairs] = value.trim().split(/\s+/);
      (releases ??= { images: {}, policy: releasePolicyProblems }).images[repo] = Object.fromEntries(pairs.map((p) => p.split('=')));
    }
    if (key === 'declared') {
      const [id, keys] = value.split('=');
      const [name, namespace] = id.trim().split('/');
      declared.push({ name, ...(namespace ? { namespace } : {}), keys: keys.split(',').map((k) => k.trim()) });
    }
    if (key === 'expect') {
      const [spec, message] = value.split(' ~ ');
      const [object, rule, path, severity] = spec.trim().split(/\s+/);
      expects.push({ object, rule, path, severity, message: message?.trim() });
    }
  }
  return { policy, declared, ignore, expects, env, releases, storageClasses, repo, addonNamespaces };
}

function overlaysOf(file: string): Array<{ platform: string; source: string; objects: Array<Record<string, any>> }> {
  const source = relative(CORPUS, file);
  const chunks = readFileSync(file, 'utf8').split(/^# overlay: (\S+)$/m);
  if (chunks.length === 1) return [{ platform: 'corpus', source, objects: loadFile(file).map((r) => r.object) }];
  const out = [];
  for (let i = 1; i < chunks.length; i += 2) {
    const objects = parseAllDocuments(chunks[i + 1]).map((d) => d.toJS() as Record<string, any> | null).filter((o): o is Record<string, any> => o !== null);
    out.push({ platform: chunks[i], source, objects });
  }
  return out;
}

const files = yamlFiles(join(CORPUS, 'broken'));

describe('broken corpus', () => {
  for (const file of files) {
    it(relative(CORPUS, file), () => {
      const { policy, declared, ignore, expects, env, releases, storageClasses, repo, addonNamespaces } = header(file);
      expect(expects.length, 'file states no expectation').toBeGreaterThan(0);
      // `# overlay: <platform>` lines split a file into overlays of one environment (cross-overlay rules).
      const overlays = overlaysOf(file);
      const all = overlays.flatMap((ov) =>
        validateObjects(ov.objects.map((object) => ({ object, source: ov.source })), { policy, declaredSecrets: declared, platform: ov.platform, env: env ?? policy, releases, storageClasses, repo }).findings,
      );
      const cross = overlays.map((ov) => ({ ...ov, env: env ?? policy }));
      all.push(...findSharedObjects(cross).flat(), ...findForeignNamespaces(cross, addonNamespaces).flat());
      const findings = all.filter((f) => !ignore.has(f.rule));
      const actual = findings.map((f) => `${f.kind}/${f.name} ${f.rule} ${f.path}`).sort();
      const wanted = expects.map((e) => `${e.object} ${e.rule} ${e.path}`).sort();
      expect(actual).toEqual(wanted);
      for (const e of expects) {
        const f = findings.find((x) => `${x.kind}/${x.name}` === e.object && x.rule === e.rule && x.path === e.path && (!e.message || x.message.includes(e.message)));
        expect(f, `${e.rule} ${e.path} with message containing ${JSON.stringify(e.message)}`).toBeDefined();
        expect(f!.severity).toBe(e.severity ?? RULES.find((r) => r.id === e.rule)!.levels[policy]);
        expect(f!.source).toBe(relative(CORPUS, file));
        expect(overlays.map((ov) => ov.platform)).toContain(f!.platform);
      }
    });
  }

  it('covers every rule at least once', () => {
    const covered = new Set(files.flatMap((f) => header(f).expects.map((e) => e.rule)));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
