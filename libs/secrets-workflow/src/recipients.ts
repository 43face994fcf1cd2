/**
 * The age recipients of each environment: libs/environments/recipients.yaml is the source (`.sops.yaml`
 * is written from it), and the public example identities in test-keys/ open the example files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { loadRecipients, RECIPIENTS_FILE } from '@gitops/environments';
import { parseIdentities, writeFileAtomic } from '@gitops/secrets';

/** libs/environments/recipients.yaml of the repository at `root` (falls back to the installed one). */
export function recipientsFile(root: string): string {
  const own = join(root, 'libs', 'environments', 'recipients.yaml');
  return existsSync(own) ? own : RECIPIENTS_FILE;
}

/** age recipients per environment, read fresh from the repository's recipients file. */
export function envRecipients(root: string): Record<string, string[]> {
  return loadRecipients(recipientsFile(root));
}

/** The public example key of an environment (test-keys/example-<env>.agekey), if present. */
export function exampleIdentities(root: string, env: string): string[] {
  const p = join(root, 'test-keys', `example-${env}.agekey`);
  return existsSync(p) ? parseIdentities(readFileSync(p, 'utf8'), p) : [];
}

/** Rewrite one environment's entry of recipients.yaml (atomic; the caller holds the file's lock, withFileLock), keeping comments and the other entries. */
export function writeEnvRecipientsLocked(file: string, env: string, recipients: string[]): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set(env, doc.createNode(recipients));
  const note = ` ${env}: own recipients (gitops secrets take-ownership), not the example key`;
  if (isMap(doc.contents)) {
    for (const p of doc.contents.items) {
      if (isScalar(p.key) && p.key.value === env && !(p.key.commentBefore ?? '').includes(note)) {
        p.key.commentBefore = p.key.commentBefore ? `${p.key.commentBefore}\n${note}` : note;
      }
    }
  }
  const text = doc.toString({ lineWidth: 0 });
  writeFileAtomic(file, text);
  loadRecipients(file); // validates what was written
}
