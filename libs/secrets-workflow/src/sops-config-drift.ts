/**
 * Why `.sops.yaml` differs from libs/environments/recipients.yaml, in words a sops-CLI user can act on.
 * recipients.yaml is the source (the Nx inputs, `take-ownership` and `check` read it); `.sops.yaml` is
 * written from it so the `sops` CLI, KSOPS and Flux find the same recipients. Someone who edited
 * `.sops.yaml` by hand (the usual sops workflow, then `sops updatekeys`) must be told that
 * `gitops secrets config` would undo that edit, and how to keep it instead; someone who changed
 * recipients.yaml must be told to apply it (config, then updatekeys with a key of that environment).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformEnvDir, secretFileName, secretPathRegex } from '@gitops/environments';
import { parseSopsConfig } from '@gitops/secrets';
import { envRecipients } from './recipients';
import { SOPS_CONFIG_FILE, sopsConfigState } from './sops-config';

export interface RecipientDrift {
  env: string;
  /** In .sops.yaml, not in recipients.yaml. */
  added: string[];
  /** In recipients.yaml, not in .sops.yaml. */
  removed: string[];
}

/** Per environment, the age recipients `.sops.yaml` lists that recipients.yaml does not, and the reverse. */
export function recipientDrift(root: string): RecipientDrift[] {
  const path = join(root, SOPS_CONFIG_FILE);
  if (!existsSync(path)) return [];
  let rules;
  try {
    rules = parseSopsConfig(readFileSync(path, 'utf8')).creationRules;
  } catch {
    return [];
  }
  const wanted = envRecipients(root);
  return Object.entries(wanted)
    .map(([env, want]) => {
      // The rule sops itself would use for a file of this environment: the first whose path_regex matches.
      const sample = `${platformEnvDir(env, 'platform')}/${secretFileName('name')}`;
      const rule = rules.find((r) => r.pathRegex === secretPathRegex(env)) ?? rules.find((r) => !r.pathRegex || new RegExp(r.pathRegex).test(sample));
      const have = rule?.age ?? [];
      return { env, added: have.filter((r) => !want.includes(r)), removed: want.filter((r) => !have.includes(r)) };
    })
    .filter((d) => d.added.length || d.removed.length);
}

/** Per environment, what `.sops.yaml` adds to and lacks of recipients.yaml (indented lines). */
function driftLines(drift: RecipientDrift[]): string[] {
  const lines: string[] = [];
  for (const d of drift) {
    if (d.added.length) lines.push(`  ${d.env}: ${SOPS_CONFIG_FILE} adds ${d.added.join(', ')}`);
    if (d.removed.length) lines.push(`  ${d.env}: ${SOPS_CONFIG_FILE} lacks ${d.removed.join(', ')}`);
  }
  return lines;
}

/**
 * The way out for each direction: a recipient only in recipients.yaml means recipients.yaml was changed
 * (apply it); one only in `.sops.yaml` means a hand edit (keep it via recipients.yaml, or drop it).
 */
function driftAdvice(drift: RecipientDrift[]): string[] {
  const lacks = drift.some((d) => d.removed.length);
  const adds = drift.some((d) => d.added.length);
  const lines: string[] = [];
  if (lacks) {
    lines.push(
      '  recipients.yaml was changed: run `gitops secrets config`, then `gitops secrets updatekeys` with a key of that environment',
      '  (SOPS_AGE_KEY_FILE; updatekeys re-wraps every file for the new recipients).',
    );
  }
  if (adds) {
    lines.push(
      '  To keep a hand edit of .sops.yaml: put those recipients under the environment in libs/environments/recipients.yaml,',
      '  then run `gitops secrets config && gitops secrets updatekeys` (updatekeys re-wraps every file for them).',
      '  To drop the edit: `gitops secrets config` rewrites .sops.yaml from recipients.yaml.',
    );
  }
  // Same recipients, other text (a reformatted file): rewriting it changes nothing that matters.
  if (!lacks && !adds) lines.push('  `gitops secrets config` rewrites .sops.yaml from recipients.yaml.');
  return lines;
}

/** The message for a `.sops.yaml` that does not match recipients.yaml: what differs and the way out. */
export function sopsConfigStaleMessage(root: string): string {
  const drift = recipientDrift(root);
  return [
    `${SOPS_CONFIG_FILE} does not match libs/environments/recipients.yaml (the source of the age recipients).`,
    ...driftLines(drift),
    ...driftAdvice(drift),
  ].join('\n');
}

/** The warning for updatekeys, which uses `.sops.yaml` as it is: undefined when it matches recipients.yaml. */
export function updatekeysStaleWarning(root: string): string | undefined {
  const state = sopsConfigState(root);
  if (state.actual === undefined || state.upToDate) return undefined;
  return [
    `warning: ${SOPS_CONFIG_FILE} does not match libs/environments/recipients.yaml; updatekeys uses ${SOPS_CONFIG_FILE} as it is`,
    ...driftLines(recipientDrift(root)),
    '  run `gitops secrets config` first to apply recipients.yaml (`gitops secrets config --check` says which way to go)',
  ].join('\n');
}
