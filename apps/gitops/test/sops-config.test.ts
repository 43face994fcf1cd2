/**
 * The sops-CLI workflow: someone edits .sops.yaml by hand (adds a recipient) as they would with sops.
 * The tools must say that recipients.yaml is the source, which recipient differs, and both ways out,
 * instead of advising `gitops secrets config` alone (which would silently undo the edit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recipientDrift, sopsConfigText } from '@gitops/secrets-workflow';
import { sampleRepo, type SampleRepo } from './sample-repo';

// PUBLIC example recipients (their TEST keys are in test-keys/).
const DEV = 'age1qvku6txs4wmmn8ppzswsyehp296k523wxlyympy3u2ylcnv0racqjgnna2';
const STAGING = 'age1veljunh59qj0gpsqaxsg2zdqfvlydu28gau2fs2x8fedmnql5ghq599j72';
const PROD = 'age1se7cz3kfse0pe2cac5qvy9tgt3hk2sq0t49w9mq3a4nwd530jvmqfta709';

let s: SampleRepo;
beforeAll(() => {
  s = sampleRepo('gitops-sops-config-');
  s.writeFile('libs/environments/recipients.yaml', `dev:\n  - ${DEV}\nstaging:\n  - ${STAGING}\nprod:\n  - ${PROD}\n`);
});
afterAll(() => s.cleanup());

describe('.sops.yaml edited by hand', () => {
  it('is current when written from recipients.yaml', async () => {
    expect((await s.gitops('secrets', 'config')).exitCode).toBe(0);
    expect(recipientDrift(s.root)).toEqual([]);
    expect((await s.gitops('secrets', 'config', '--check')).exitCode).toBe(0);
  });

  it('names the recipient that differs and how to keep or drop the edit', async () => {
    s.writeFile('.sops.yaml', sopsConfigText({ dev: [DEV, PROD], staging: [STAGING], prod: [PROD] }));
    expect(recipientDrift(s.root)).toEqual([{ env: 'dev', added: [PROD], removed: [] }]);
    const res = await s.gitops('secrets', 'config', '--check');
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain(`dev: .sops.yaml adds ${PROD}`);
    expect(res.stderr).toContain('libs/environments/recipients.yaml');
    expect(res.stderr).toContain('gitops secrets config && gitops secrets updatekeys');
    expect(res.stderr).toContain('To drop the edit: `gitops secrets config`');
    expect(res.stderr).not.toContain('recipients.yaml was changed');
    // The hand edit is still there: checking never rewrites it.
    expect(readFileSync(join(s.root, '.sops.yaml'), 'utf8')).toContain(PROD);
  });

  it('updatekeys warns once that .sops.yaml differs from recipients.yaml', async () => {
    // The hand edit of the test above is still in place.
    const res = await s.gitops('secrets', 'updatekeys', '--dry-run');
    expect(res.exitCode).toBe(0);
    expect(res.stderr.match(/warning: \.sops\.yaml does not match/g)).toHaveLength(1);
    expect(res.stderr).toContain(`dev: .sops.yaml adds ${PROD}`);
    expect(res.stderr).toContain('`gitops secrets config`');
  });
});

describe('recipients.yaml changed, .sops.yaml not yet rewritten', () => {
  beforeAll(() => {
    s.writeFile('.sops.yaml', sopsConfigText({ dev: [DEV], staging: [STAGING], prod: [PROD] }));
    s.writeFile('libs/environments/recipients.yaml', `dev:\n  - ${DEV}\n  - ${STAGING}\nstaging:\n  - ${STAGING}\nprod:\n  - ${PROD}\n`);
  });
  afterAll(() => s.writeFile('libs/environments/recipients.yaml', `dev:\n  - ${DEV}\nstaging:\n  - ${STAGING}\nprod:\n  - ${PROD}\n`));

  it('says to apply recipients.yaml (config, then updatekeys with a key), not to keep a hand edit', async () => {
    expect(recipientDrift(s.root)).toEqual([{ env: 'dev', added: [], removed: [STAGING] }]);
    const res = await s.gitops('secrets', 'config', '--check');
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain(`dev: .sops.yaml lacks ${STAGING}`);
    expect(res.stderr).toContain('recipients.yaml was changed: run `gitops secrets config`, then `gitops secrets updatekeys` with a key of that environment');
    expect(res.stderr).toContain('SOPS_AGE_KEY_FILE');
    expect(res.stderr).not.toContain('To keep a hand edit');
    expect(res.stderr).not.toContain('To drop the edit');
  });

  it('updatekeys warns that .sops.yaml is stale and names `gitops secrets config`; none once it is current', async () => {
    const stale = await s.gitops('secrets', 'updatekeys', '--dry-run');
    expect(stale.exitCode).toBe(0);
    expect(stale.stderr.match(/warning: \.sops\.yaml does not match/g)).toHaveLength(1);
    expect(stale.stderr).toContain(`dev: .sops.yaml lacks ${STAGING}`);
    expect(stale.stderr).toContain('run `gitops secrets config` first');
    expect((await s.gitops('secrets', 'config')).exitCode).toBe(0);
    const current = await s.gitops('secrets', 'updatekeys', '--dry-run');
    expect(current.exitCode).toBe(0);
    expect(current.stderr).not.toContain('warning');
  });
});
