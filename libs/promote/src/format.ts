/** Markdown for a promotion: what moves, advisory findings, then the rendered diff of the target. */
import { imageRef } from '@gitops/core';
import { formatDiff } from '@gitops/pipeline';
import type { PromoteResult } from './promote';

export function formatPromotion(r: PromoteResult): string {
  const lines = [`# Promote ${r.platform}: ${r.from} → ${r.to}${r.dryRun ? ' (dry run, nothing written)' : ''}`, ''];
  if (!r.promoted.length) lines.push(`Nothing to promote: ${r.to} already runs what ${r.from} runs.`, '');
  for (const i of r.promoted) lines.push(`- \`${imageRef(i.repository, i.value)}\`${i.previous ? ` (was \`${i.previous}\`)` : ' (new)'}`);
  for (const u of r.unchanged) lines.push(`- \`${u}\` unchanged`);
  if (r.warnings.length) lines.push('', ...r.warnings.map((w) => `> warning: ${w}`));
  lines.push('');
  if (r.promoted.length) lines.push(formatDiff(r.diff, `${r.to} before the promotion`));
  return lines.join('\n');
}
