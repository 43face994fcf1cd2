/**
 * Suppressions: an annotation on the object the finding is reported on.
 *
 *   metadata:
 *     annotations:
 *       gitops.io/suppress: "pss-read-only-root-fs: nginx writes its pid file; ref-clusterrole: bound to a chart's ClusterRole"
 *
 * Entries are separated by ";" (or new lines); each is `<rule-id>: <reason>`. The reason is required.
 */
export const SUPPRESS_ANNOTATION = 'gitops.io/suppress';

export interface ParsedSuppression {
  rule: string;
  reason: string;
  /** Set when the entry is malformed. */
  error?: string;
}

export function parseSuppressions(value: unknown): ParsedSuppression[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [{ rule: '', reason: '', error: 'annotation value must be a string' }];
  const out: ParsedSuppression[] = [];
  for (const raw of value.split(/[;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const rule = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const reason = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!reason) out.push({ rule, reason, error: `suppression of "${rule}" has no reason (write "${rule}: <why>")` });
    else out.push({ rule, reason });
  }
  return out;
}
