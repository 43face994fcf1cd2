/**
 * Pod Security admission warnings ("would violate PodSecurity "restricted:latest": …") mapped to the
 * offline validator's rule ids, so a finding suppressed with `gitops.io/suppress` (libs/validate)
 * is suppressed for the API server's warning too, and nothing else is.
 */
import type { KubeObject } from '@gitops/core';
import { parseSuppressions, SUPPRESS_ANNOTATION } from '@gitops/validate';

/** PSA check (as the warning names it) → validate rule id. */
const CHECK_RULES: Array<[RegExp, string]> = [
  [/^privileged\b/, 'pss-privileged'],
  [/^host namespaces\b/, 'pss-host-namespaces'],
  [/^hostPath volumes\b/, 'pss-host-path'],
  [/^restricted volume types\b.*"hostPath"/, 'pss-host-path'],
  [/^hostPort\b/, 'pss-host-port'],
  [/^non-default capabilities\b/, 'pss-capabilities-add'],
  [/^unrestricted capabilities\b/, 'pss-capabilities-drop-all'],
  [/^allowPrivilegeEscalation\b/, 'pss-privilege-escalation'],
  [/^(runAsNonRoot|runAsUser)\b/, 'pss-run-as-non-root'],
  [/^seccompProfile\b/, 'pss-seccomp'],
];

export function isPodSecurityWarning(message: string): boolean {
  return /would violate PodSecurity/.test(message);
}

/** The violated checks of a PSA warning: top-level comma-separated items after the first ": ". */
export function violatedChecks(message: string): string[] {
  const i = message.indexOf('": ');
  const body = i < 0 ? message : message.slice(i + 3);
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function ruleOfCheck(check: string): string | undefined {
  return CHECK_RULES.find(([re]) => re.test(check))?.[1];
}

/**
 * The suppression reasons that cover every violated check of `message` on object `o`, or undefined
 * when some check is not suppressed (or maps to no rule).
 */
export function suppressionFor(o: KubeObject, message: string): string | undefined {
  const entries = parseSuppressions(o.metadata?.annotations?.[SUPPRESS_ANNOTATION]).filter((e) => !e.error);
  const reasons: string[] = [];
  for (const check of violatedChecks(message)) {
    const rule = ruleOfCheck(check);
    const entry = rule ? entries.find((e) => e.rule === rule) : undefined;
    if (!entry) return undefined;
    reasons.push(`${entry.rule}: ${entry.reason}`);
  }
  return reasons.length ? [...new Set(reasons)].join('; ') : undefined;
}
