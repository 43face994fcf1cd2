import type { Finding, ValidationResult } from './types';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(findings: Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}`;
}

/**
 * Human-readable report grouped platform → environment → object. Each finding line reads
 * `<severity> <file> <kind>/<name> <field-path> <rule>: <message>`.
 */
export function formatReport(results: Array<ValidationResult & { platform: string; env: string; app?: string }>): string {
  const lines: string[] = [];
  const platforms = [...new Set(results.map((r) => r.platform))];
  let total: Finding[] = [];
  let objects = 0;
  for (const platform of platforms) {
    lines.push(platform);
    for (const r of results.filter((x) => x.platform === platform)) {
      total = total.concat(r.findings);
      objects += r.objects;
      const where = r.app && r.app !== platform ? `${r.app}/${r.env}` : r.env;
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
      if (r.suppressions.length) {
        lines.push('    suppressed:');
        for (const s of r.suppressions) {
          lines.push(`      ${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name} ${s.rule}: ${s.reason}`);
        }
      }
    }
  }
  lines.push(`total: ${plural(objects, 'object')}, ${summary(total)}`);
  return lines.join('\n') + '\n';
}
