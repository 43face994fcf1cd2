/**
 * Annotations platforms write by hand: Argo CD sync waves and validator suppressions.
 *
 * The suppression key is owned by @gitops/validate, which reads it and imports no workspace
 * library; the kit re-exports validate's constant and adds the writer, so the key exists once.
 */
import { SUPPRESS_ANNOTATION } from '@gitops/validate/values';
import { ANNOTATIONS } from '../objects';

export { SUPPRESS_ANNOTATION };

/** `argocd.argoproj.io/sync-wave: "<wave>"`: Argo CD applies lower waves first (namespace 0, config/RBAC 1, components from 2). */
export function syncWave(wave: number): Record<string, string> {
  if (!Number.isInteger(wave)) throw new Error(`sync wave must be an integer, got ${wave}`);
  return { [ANNOTATIONS.syncWave]: String(wave) };
}

/**
 * `gitops.io/suppress` from rule → reason pairs, in the format the validator parses
 * (`<rule>: <reason>; <rule>: <reason>`). Every reason is required, and may not contain the
 * entry separators `;` or a new line (it would be read as a second, malformed entry).
 */
export function suppress(reasons: Record<string, string>): Record<string, string> {
  const entries = Object.entries(reasons);
  if (!entries.length) throw new Error('suppress(): no rule given');
  for (const [rule, reason] of entries) {
    if (!reason.trim()) throw new Error(`suppress(): the suppression of "${rule}" has no reason`);
    if (/[;\n]/.test(reason)) throw new Error(`suppress(): the reason for "${rule}" contains ";" or a new line, which separate entries`);
  }
  return { [SUPPRESS_ANNOTATION]: entries.map(([rule, reason]) => `${rule}: ${reason}`).join('; ') };
}
