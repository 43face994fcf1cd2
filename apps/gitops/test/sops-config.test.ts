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
    // The hand edit is still there: checking never rewrites it.
    expect(readFileSync(join(s.root, '.sops.yaml'), 'utf8')).toContain(PROD);
  });
});
