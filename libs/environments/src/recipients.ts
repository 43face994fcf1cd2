import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadSimpleYamlDocument } from '@gitops/yaml-read';
import { UserError } from '@gitops/core/errors';

/** Where the per-environment age recipients live (rewritten by `gitops secrets take-ownership`). */
export const RECIPIENTS_FILE = fileURLToPath(new URL('../recipients.yaml', import.meta.url));

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export function loadRecipients(file = RECIPIENTS_FILE): Record<string, string[]> {
  let doc: Record<string, unknown>;
  try {
    const text = readFileSync(file, 'utf8');
    // Read at every start: the fast reader when it reads the file as `yaml` would; `yaml` otherwise (and to name a problem).
    doc = (loadSimpleYamlDocument(text, file) ?? parse(text)) as Record<string, unknown>;
  } catch (e) {
    // A hand-edited file: bad input, named, not an internal error.
    throw new UserError(`${file}: ${(e as Error).message.split('\n')[0]}`, 2);
  }
  const out: Record<string, string[]> = {};
  for (const [env, list] of Object.entries(doc ?? {})) {
    if (!Array.isArray(list) || !list.length) throw new UserError(`${file}: ${env} must list at least one age recipient`, 2);
    for (const r of list) {
      if (typeof r !== 'string' || !AGE_RECIPIENT.test(r)) throw new UserError(`${file}: ${env}: "${String(r)}" is not an age recipient (age1…)`, 2);
    }
    out[env] = list as string[];
  }
  return out;
}
