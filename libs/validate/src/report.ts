import type { Finding, ValidationResult } from './types';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(findings: Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}`;
}

type Result = ValidationResult & { platform: string; env: string; app?: string };

const whereOf = (r: Result) => (r.app && r.app !== r.platform ? `${r.app}/${r.env}` : r.env);

/**
 * A platform's suppressions, each reason once: the same annotation usually sits on the same objects
 * in every environment, so they are grouped by rule and reason, then by the environments they hold in.
 */
function formatSuppressions(results: Result[]): string[] {
  const byReason = new Map<string, { rule: string; reason: string; objects: Map<string, string[]> }>();
  for (const r of results) {
    for (const s of r.suppressions) {
      const key = `${s.rule}\0${s.reason}`;
      const group = byReason.get(key) ?? { rule: s.rule, reason: s.reason, objects: new Map<string, string[]>() };
      const object = `${s.kind}/${s.name}`;
      group.objects.set(object, [...(group.objects.get(object) ?? []), whereOf(r)]);
      byReason.set(key, group);
    }
  }
  if (!byReason.size) return [];
  const lines = [`  suppressed (${plural(byReason.size, 'reason')}):`];
  for (const g of byReason.values()) {
    lines.push(`    ${g.rule}: ${g.reason}`);
    const byWhere = new Map<string, string[]>();
    for (const [object, where] of g.objects) byWhere.set(where.join(', '), [...(byWhere.get(where.join(', ')) ?? []), object]);
    for (const [where, objects] of byWhere) lines.push(`      ${objects.join(', ')} (${where})`);
  }
  return lines;
}

/**
 * Human-readable report grouped platform → environment → object. Each finding line reads
 * `<severity> <file> <kind>/<name> <field-path> <rule>: <message>`.
 */
export function formatReport(results: Result[]): string {
  const lines: string[] = [];
  const platforms = [...new Set(results.map((r) => r.platform))];
  let total: Finding[] = [];
  let objects = 0;
  for (const platform of platforms) {
    lines.push(platform);
    for (const r of results.filter((x) => x.platform === platform)) {
      total = total.concat(r.findings);
      objects += r.objects;
      const where = whereOf(r);
      lines.push(`  ${where}: ${plural(r.objects, 'object')}, ${summary(r.findings)}, ${plural(r.suppressions.length, 'suppression')}`);
      const groups = new Map<string, Finding[]>();
      for (const f of r.findings) {
        const key = `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
        const list = groups.get(key) ?? [];
        list.push(f);
        groups.set(key, list);
      }
      for (const [key, list] of groups) {
        lines.push(`    ${key}${list[0].source ? ` (${list[0].source})` : ''}`);
        for (const f of list) {
          const sev = f.severity === 'error' ? 'error  ' : 'warning';
          lines.push(`      ${sev} ${f.source ?? '-'} ${f.kind}/${f.name} ${f.path || '-'} ${f.rule}: ${f.message}`);
        }
      }
    }
    lines.push(...formatSuppressions(results.filter((x) => x.platform === platform)));
  }
  lines.push(`total: ${plural(objects, 'object')}, ${summary(total)}`);
  return lines.join('\n') + '\n';
}
