/** depends_on checks before anything is mapped: unknown services and cycles, with file and service named. */
import { UserError } from '@gitops/core';
import { dependsOnMap } from './merge';
import type { LoadedCompose } from './load';

export function checkDependencies(c: LoadedCompose): void {
  const problems: string[] = [];
  const deps = new Map<string, string[]>();
  for (const [svc, def] of Object.entries(c.services)) {
    const list = Object.keys(dependsOnMap(def.depends_on));
    deps.set(svc, list);
    for (const d of list) {
      if (c.services[d]) continue;
      const where = `${c.serviceFile[svc]}: service "${svc}", field "depends_on.${d}"`;
      problems.push(
        c.skippedByProfile[d]
          ? `${where}: "${d}" is only enabled by profile ${c.skippedByProfile[d].join(', ')} (add --profile ${c.skippedByProfile[d][0]})`
          : `${where}: depends on unknown service "${d}" (services: ${Object.keys(c.services).join(', ')})`,
      );
    }
  }
  if (problems.length) throw new UserError(`invalid depends_on:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 2);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (s: string): void => {
    state.set(s, 'visiting');
    stack.push(s);
    for (const d of deps.get(s) ?? []) {
      if (state.get(d) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(d)), d];
        throw new UserError(`${c.serviceFile[s]}: service "${s}", field "depends_on": dependency cycle ${cycle.join(' -> ')}`, 2);
      }
      if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of deps.keys()) if (!state.has(s)) visit(s);
}
