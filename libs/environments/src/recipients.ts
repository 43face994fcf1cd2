import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Where the per-environment age recipients live (rewritten by `gitops secrets take-ownership`). */
export const RECIPIENTS_FILE = fileURLToPath(new URL('../recipients.yaml', import.meta.url));

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export function loadRecipients(file = RECIPIENTS_FILE): Record<string, string[]> {
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [env, list] of Object.entries(doc ?? {})) {
    if (!Array.isArray(list) || !list.length) throw new Error(`${file}: ${env} must list at least one age recipient`);
    for (const r of list) {
      if (typeof r !== 'string' || !AGE_RECIPIENT.test(r)) throw new Error(`${file}: ${env}: "${String(r)}" is not an age recipient (age1…)`);
    }
    out[env] = list as string[];
  }
  return out;
}
