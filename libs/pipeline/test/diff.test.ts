import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseIdentities, rotate, setValue } from '@gitops/secrets';
import { UserError } from '@gitops/core';
import { envNames } from '@gitops/environments';
import { formatDiff, formatSecretChange, generateAll, overlaysOnDisk, renderedDiff, renderObjectsIfPresent, secretChanges, secretFileProblems } from '../src';
import { REPO, tempRepo, type TempRepo } from './sample-repo';

describe('renderedDiff', () => {
  let repo: TempRepo;
  let goneObjects: Map<string, string[]>;
  beforeAll(async () => {
    repo = tempRepo();
    repo.addPlatform('sample');
    repo.addPlatform('gone');
    await generateAll(repo.root, ['sample', 'gone']);
    goneObjects = new Map();
    for (const dir of overlaysOnDisk(repo.root, 'gone')) goneObjects.set(dir, [...(await renderObjectsIfPresent(repo.root, dir)).keys()]);
    await repo.git('init', '-q', '-b', 'main');
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'base');
    // The change: platform "gone" is deleted, library and generated folders.
    rmSync(join(repo.root, 'libs/platforms/gone'), { recursive: true });
    for (const d of ['base', ...envNames]) rmSync(join(repo.root, 'environments', d, 'gone'), { recursive: true });
  }, 120_000);
  afterAll(() => repo?.cleanup());

  it('lists every overlay the change removed, with all its objects removed', async () => {
    expect([...goneObjects.keys()]).toEqual(envNames.map((e) => `environments/${e}/gone`));
    const diffs = await renderedDiff(repo.root, 'HEAD', []);
    expect(diffs.map((d) => d.overlay)).toEqual([...goneObjects.keys()]);
    for (const d of diffs) {
      expect(d.removed.length).toBeGreaterThan(0);
      expect(d.removed).toEqual(goneObjects.get(d.overlay));
      expect(d.added).toEqual([]);
      expect(d.changed).toEqual([]);
    }
  }, 120_000);

  it('takes a platform that exists only at the base ref by name, and refuses one that exists nowhere', async () => {
    expect((await renderedDiff(repo.root, 'HEAD', ['gone'])).map((d) => d.overlay)).toEqual([...goneObjects.keys()]);
    expect(await renderedDiff(repo.root, 'HEAD', ['sample'])).toEqual([]);
    const err = await renderedDiff(repo.root, 'HEAD', ['nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/unknown platform "nope"/);
    expect((err as UserError).exitCode).toBe(2);
  }, 120_000);

  it('a base ref that does not exist: exit 2 naming --base and the ref, no temporary path or git command line', async () => {
    const fail = (base: string): Promise<UserError> => renderedDiff(repo.root, base, []).then(() => new UserError('no error', 0), (e: unknown) => e as UserError);
    const noRemote = await fail('origin/main');
    expect(noRemote).toBeInstanceOf(UserError);
    expect(noRemote.exitCode).toBe(2);
    expect(noRemote.message).toBe('--base origin/main: no such git ref (no remote "origin"?); pass --base <ref>');
    const noRef = await fail('nosuchref');
    expect(noRef.exitCode).toBe(2);
    expect(noRef.message).toBe('--base nosuchref: no such git ref; pass --base <ref>');
    for (const e of [noRemote, noRef]) expect(e.message).not.toMatch(/worktree|gitops-base-|fatal|exit code/);
    expect((await repo.git('worktree', 'list')).trim().split('\n')).toHaveLength(1);
  }, 120_000);
});

describe('renderedDiff of the committed argocd/ tree', () => {
  let repo: TempRepo;
  const app = (name: string) => readFileSync(join(REPO, 'argocd/apps/prod/ms5.yaml'), 'utf8').replaceAll('ms5-prod', name);
  beforeAll(async () => {
    repo = tempRepo();
    mkdirSync(join(repo.root, 'argocd/apps/prod'), { recursive: true });
    mkdirSync(join(repo.root, 'argocd/install'), { recursive: true });
    writeFileSync(join(repo.root, 'argocd/apps/prod/ms5.yaml'), app('ms5-prod'));
    writeFileSync(join(repo.root, 'argocd/apps/prod/kustomization.yaml'), 'resources:\n  - ms5.yaml\n');
    writeFileSync(join(repo.root, 'argocd/install/namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argocd\n');
    await repo.git('init', '-q', '-b', 'main');
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'base');
    // The change: prod syncs automatically (prune, selfHeal), one more Application; install/ is upstream's, not compared.
    const doc = parseDocument(app('ms5-prod'));
    doc.setIn(['spec', 'syncPolicy', 'automated'], { prune: true, selfHeal: true });
    writeFileSync(join(repo.root, 'argocd/apps/prod/ms5.yaml'), doc.toString());
    writeFileSync(join(repo.root, 'argocd/apps/prod/extra.yaml'), app('extra-prod'));
    writeFileSync(join(repo.root, 'argocd/install/namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argocd-changed\n');
  }, 120_000);
  afterAll(() => repo?.cleanup());

  it('a sync-policy change and an added Application are listed under argocd/, in text and JSON', async () => {
    const diffs = await renderedDiff(repo.root, 'HEAD', []);
    expect(diffs).toHaveLength(1);
    const [d] = JSON.parse(JSON.stringify(diffs));
    expect(d).toMatchObject({ overlay: 'argocd', added: ['Application/argocd/extra-prod'], removed: [], secrets: [] });
    expect(d.changed.map((c: { id: string }) => c.id)).toEqual(['Application/argocd/ms5-prod']);
    expect(d.changed[0].diff).toMatch(/^\+ {4}automated:\n\+ {6}prune: true\n\+ {6}selfHeal: true$/m);
    const text = formatDiff(diffs, 'HEAD');
    expect(text).toContain('### argocd/\n\n- added `Application/argocd/extra-prod`\n- changed `Application/argocd/ms5-prod`');
    expect(text).toContain('+    automated:');
    expect(text).not.toMatch(/Namespace/);
  }, 120_000);

  it('with platforms named, only their objects (labelled part-of the platform)', async () => {
    repo.addPlatform('sample');
    expect(await renderedDiff(repo.root, 'HEAD', ['sample'])).toEqual([]);
    // An Application of sample appears; ms5's changes stay out of a diff of sample.
    writeFileSync(join(repo.root, 'argocd/apps/prod/sample.yaml'), app('sample-prod').replaceAll('part-of: ms5', 'part-of: sample'));
    const diffs = JSON.parse(JSON.stringify(await renderedDiff(repo.root, 'HEAD', ['sample'])));
    expect(diffs).toMatchObject([{ overlay: 'argocd', added: ['Application/argocd/sample-prod'], removed: [], changed: [] }]);
  }, 120_000);
});

describe('secretChanges: SOPS files compared without a key', () => {
  // A real file of the repository (sops 3.13 format, dev's example TEST key), edited as the tools would.
  const REAL = join(REPO, 'environments/dev/platform9/secrets/ldap-secrets.enc.yaml');
  const OVERLAY = 'environments/dev/p';
  const FILE = `${OVERLAY}/secrets/ldap-secrets.enc.yaml`;
  const trees = mkdtempSync(join(tmpdir(), 'gitops-secret-diff-'));
  afterAll(() => rmSync(trees, { recursive: true, force: true }));
  let n = 0;
  /** Two trees holding the real file, the second one changed by `edit`; the changes between them. */
  const compare = (edit: (doc: ReturnType<typeof parseDocument>) => void) => {
    const [before, after] = [join(trees, `${++n}a`), join(trees, `${n}b`)];
    for (const t of [before, after]) {
      mkdirSync(join(t, OVERLAY, 'secrets'), { recursive: true });
      copyFileSync(REAL, join(t, FILE));
    }
    const doc = parseDocument(readFileSync(REAL, 'utf8'));
    edit(doc);
    writeFileSync(join(after, FILE), doc.toString());
    return secretChanges(before, after, OVERLAY);
  };

  it('an unchanged file, or one only laid out differently (yaml writes 2-space indents, sops 4), is no change', () => {
    expect(compare(() => {})).toEqual([]);
  });

  it('only sops bookkeeping (lastmodified, mac) changed: said so, no key or value listed', () => {
    const [c] = compare((d) => {
      d.setIn(['sops', 'lastmodified'], '2026-12-01T00:00:00Z');
      d.setIn(['sops', 'mac'], String(d.getIn(['stringData', 'LDAP_ADMIN_PASSWORD'])));
    });
    expect(c).toEqual({ name: 'ldap-secrets', file: FILE, change: 'changed', keysAdded: [], keysRemoved: [], valuesChanged: [], otherChanged: ['sops metadata'], newDataKey: false, problems: [] });
  });

  it('a recipient added (updatekeys) and an annotation changed are named; values are not', () => {
    const [c] = compare((d) => {
      const entry = (d.getIn(['sops', 'age', 0]) as { toJSON(): Record<string, string> }).toJSON();
      d.addIn(['sops', 'age'], { ...entry, recipient: 'age1veljunh59qj0gpsqaxsg2zdqfvlydu28gau2fs2x8fedmnql5ghq599j72' });
      d.setIn(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'], '2');
    });
    expect(c.otherChanged).toEqual(['metadata', 'recipients']);
    expect(c.valuesChanged).toEqual([]);
  });

  it('a value re-encrypted, a key removed: listed by key name; the line holds no ciphertext', () => {
    const [c] = compare((d) => {
      d.setIn(['stringData', 'LDAP_ADMIN_PASSWORD'], d.getIn(['stringData', 'LDAP_CONFIG_PASSWORD']));
      d.deleteIn(['stringData', 'LDAP_CONFIG_PASSWORD']);
    });
    expect(c).toMatchObject({ keysAdded: [], keysRemoved: ['LDAP_CONFIG_PASSWORD'], valuesChanged: ['LDAP_ADMIN_PASSWORD'] });
    const line = formatSecretChange(c);
    expect(line).toBe(`- Secret \`ldap-secrets\` (\`${FILE}\`): key \`LDAP_CONFIG_PASSWORD\` removed; values changed (not shown): \`LDAP_ADMIN_PASSWORD\``);
    expect(line).not.toMatch(/ENC\[/);
  });

  /** Two trees holding a fixture pair (real sops output, see fixtures/secret-diff/NOTE.md) as one file; the changes between them. */
  const FIXTURES = join(__dirname, 'fixtures/secret-diff');
  const pair = (fixture: string) => {
    const [a, b] = [join(trees, `${++n}a`), join(trees, `${n}b`)];
    for (const [t, which] of [[a, 'before'], [b, 'after']] as const) {
      mkdirSync(join(t, OVERLAY, 'secrets'), { recursive: true });
      copyFileSync(join(FIXTURES, `${fixture}.${which}.enc.yaml`), join(t, OVERLAY, 'secrets', `${fixture}.enc.yaml`));
    }
    return secretChanges(a, b, OVERLAY);
  };

  it('a Secret whose rule encrypts metadata too is named by its file, never by the ciphertext of its name', () => {
    expect(readFileSync(join(FIXTURES, 'metadata-encrypted.after.enc.yaml'), 'utf8')).toMatch(/\n {4}name: ENC\[/);
    const [c] = pair('metadata-encrypted');
    expect(c).toMatchObject({ name: 'metadata-encrypted.enc.yaml', keysAdded: ['B'], valuesChanged: [], otherChanged: [] });
    expect(JSON.stringify(c)).not.toMatch(/ENC\[/);
    expect(formatSecretChange(c)).not.toMatch(/ENC\[/);
  });

  it('the same key in stringData and data: a change to one is that value changed, not "sops metadata"', () => {
    const [c] = pair('same-key-both-fields');
    expect(c).toMatchObject({ keysAdded: [], keysRemoved: [], valuesChanged: ['stringData.k'], otherChanged: [] });
    expect(formatSecretChange(c)).toBe('- Secret `both` (`environments/dev/p/secrets/same-key-both-fields.enc.yaml`): values changed (not shown): `stringData.k`');
  });

  /** Two trees holding the real file, the second one changed by a real operation of @gitops/secrets (dev's TEST key). */
  const operate = async (op: (file: string, opts: { identities: string[]; config: false }) => Promise<unknown>) => {
    const [before, after] = [join(trees, `${++n}a`), join(trees, `${n}b`)];
    for (const t of [before, after]) {
      mkdirSync(join(t, OVERLAY, 'secrets'), { recursive: true });
      copyFileSync(REAL, join(t, FILE));
    }
    const identities = parseIdentities(readFileSync(join(REPO, 'test-keys/example-dev.agekey'), 'utf8'), 'dev');
    await op(join(after, FILE), { identities, config: false });
    return secretChanges(before, after, OVERLAY);
  };

  it('a rotate (new data key, no value changed) says so, unlike a value change; neither shows a value or ciphertext', async () => {
    const [rotated] = await operate((file, opts) => rotate(file, opts));
    expect(rotated).toMatchObject({ valuesChanged: ['LDAP_ADMIN_PASSWORD', 'LDAP_CONFIG_PASSWORD'], otherChanged: [], newDataKey: true });
    expect(formatSecretChange(rotated)).toBe(
      `- Secret \`ldap-secrets\` (\`${FILE}\`): re-encrypted with a new data key (rotate): values may be unchanged; changed ciphertext: \`LDAP_ADMIN_PASSWORD\`, \`LDAP_CONFIG_PASSWORD\``,
    );
    const [set] = await operate((file, opts) => setValue(file, ['stringData', 'LDAP_ADMIN_PASSWORD'], 'a-new-test-password', opts));
    expect(set).toMatchObject({ valuesChanged: ['LDAP_ADMIN_PASSWORD'], newDataKey: false });
    expect(formatSecretChange(set)).toBe(`- Secret \`ldap-secrets\` (\`${FILE}\`): values changed (not shown): \`LDAP_ADMIN_PASSWORD\``);
    for (const c of [rotated, set]) expect(JSON.stringify(c) + formatSecretChange(c)).not.toMatch(/ENC\[|AGE ENCRYPTED|a-new-test-password/);
  });

  it('a plaintext value, a file without sops metadata or broken YAML is a problem naming the key, never the value', () => {
    const [value] = compare((d) => d.setIn(['stringData', 'LDAP_ADMIN_PASSWORD'], 'fake-plaintext-value'));
    expect(value.problems).toEqual(['stringData.LDAP_ADMIN_PASSWORD is not encrypted (ENC[...])']);
    expect(formatSecretChange(value)).toBe(
      `- **ERROR: not a sound SOPS file, do not merge**: Secret \`ldap-secrets\` (\`${FILE}\`): stringData.LDAP_ADMIN_PASSWORD is not encrypted (ENC[...])`,
    );
    const [notSops] = compare((d) => d.delete('sops'));
    expect(notSops.problems).toEqual(['is not a SOPS file (no sops metadata)']);
    const [broken] = compare((d) => d.setIn(['kind'], 'x'));
    writeFileSync(join(trees, `${n}b`, FILE), 'kind: [Secret\n  LDAP_ADMIN_PASSWORD: fake-plaintext-value\n');
    const [unparsable] = secretChanges(join(trees, `${n}a`), join(trees, `${n}b`), OVERLAY);
    expect(broken.problems).toEqual([]);
    expect(unparsable).toMatchObject({ change: 'changed', keysRemoved: [], problems: ['does not parse as a YAML mapping (not a SOPS file)'] });
    for (const c of [value, notSops, unparsable]) expect(JSON.stringify(c) + formatSecretChange(c)).not.toContain('fake-plaintext-value');
    expect(secretFileProblems([{ overlay: OVERLAY, added: [], removed: [], changed: [], secrets: [value, broken] }])).toEqual([`${FILE}: stringData.LDAP_ADMIN_PASSWORD is not encrypted (ENC[...])`]);
  });

  it('a data/stringData that is a scalar or a list, not a mapping, is a problem of its own, never printed', () => {
    const [scalar] = compare((d) => d.set('stringData', 'LDAP_ADMIN_PASSWORD=fake-scalar-value'));
    expect(scalar.problems).toEqual(['stringData is not a mapping of keys to encrypted values (ENC[...])']);
    expect(formatSecretChange(scalar)).toBe(`- **ERROR: not a sound SOPS file, do not merge**: Secret \`ldap-secrets\` (\`${FILE}\`): stringData is not a mapping of keys to encrypted values (ENC[...])`);
    const [list] = compare((d) => d.set('data', ['fake-list-value']));
    expect(list.problems).toEqual(['data is not a mapping of keys to encrypted values (ENC[...])']);
    for (const c of [scalar, list]) expect(JSON.stringify(c) + formatSecretChange(c)).not.toMatch(/fake-scalar-value|fake-list-value/);
  });

  it('every document of a SOPS file is compared: a plaintext value in the second document is a problem', () => {
    const [before, after] = [join(trees, `${++n}a`), join(trees, `${n}b`)];
    for (const t of [before, after]) mkdirSync(join(t, OVERLAY, 'secrets'), { recursive: true });
    const real = readFileSync(REAL, 'utf8');
    writeFileSync(join(before, FILE), `${real}---\n${real}`);
    const second = parseDocument(real);
    second.setIn(['stringData', 'LDAP_ADMIN_PASSWORD'], 'fake-second-doc-value');
    writeFileSync(join(after, FILE), `${real}---\n${second.toString()}`);
    const changes = secretChanges(before, after, OVERLAY);
    expect(changes.map((c) => c.problems)).toEqual([['stringData.LDAP_ADMIN_PASSWORD is not encrypted (ENC[...])']]);
    expect(formatSecretChange(changes[0])).toMatch(/^- \*\*ERROR: not a sound SOPS file, do not merge\*\*/);
    expect(JSON.stringify(changes) + changes.map(formatSecretChange).join('')).not.toContain('fake-second-doc-value');
  });

  it('an explicit null value (sops leaves it unencrypted, like an empty string) is no problem', () => {
    const [c] = compare((d) => d.setIn(['stringData', 'LDAP_ADMIN_PASSWORD'], null));
    expect(c.problems).toEqual([]);
    expect(c.valuesChanged).toEqual(['LDAP_ADMIN_PASSWORD']);
  });

  it('a key in one field only keeps its plain name', () => {
    const [c] = compare((d) => d.setIn(['stringData', 'LDAP_ADMIN_PASSWORD'], d.getIn(['stringData', 'LDAP_CONFIG_PASSWORD'])));
    expect(c.valuesChanged).toEqual(['LDAP_ADMIN_PASSWORD']);
  });
});
