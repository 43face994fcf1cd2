/**
 * Text the CLI prints that a reviewer found wrong: what `import compose` says to do next (the
 * secrets path from the layout module, `gitops all` writing files) and what `generate --help` says a
 * full run does. (build.test.ts checks the registry's descriptions equal the full command tree's.)
 */
import { describe, expect, it } from 'vitest';
import { appPaths } from '@gitops/environments';
import { nextSteps } from '../src/commands/import';
import { COMMANDS } from '../src/registry';

describe('import compose: next steps', () => {
  const steps = nextSteps('shop');

  it('name the secrets folder the layout module gives the imported app (one app named after the platform)', () => {
    expect(appPaths('shop', 'shop', false, '<env>').secrets).toBe('environments/<env>/shop/secrets');
    expect(steps).toContain('keys without a value hold CHANGE-ME: npx gitops secrets set environments/<env>/shop/secrets/<file> <key>');
  });

  it('say that `gitops all` writes the generated files (it is not a --check)', () => {
    const all = steps.find((l) => l.startsWith('npx gitops all'))!;
    expect(all).toMatch(/^npx gitops all +# generate every platform \(writes environments\/ and argocd\/\), render and validate everything$/);
    expect(all).not.toContain('--check');
  });
});

describe('generate --help', () => {
  it('says a full run removes the generated files of platforms that no longer exist', () => {
    expect(COMMANDS.find((c) => c.name === 'generate')!.description).toMatch(/with no names also argocd\/, and remove the generated files of platforms that no longer exist$/);
  });
});
