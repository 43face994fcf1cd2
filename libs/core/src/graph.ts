import type { AppSpec } from './model';

/** Wave of the first component layer: namespace is 0, config/secrets/storage 1. */
export const FIRST_COMPONENT_WAVE = 2;

/**
 * Argo CD sync wave per component: one later than the latest of its dependencies, so
 * databases come up before the services that use them. Assumes an acyclic graph
 * (validate-spec rejects cycles before compile runs).
 */
export function componentWaves(app: AppSpec): Map<string, number> {
  const byName = new Map(app.components.map((c) => [c.name, c]));
  const waves = new Map<string, number>();
  const visit = (name: string, seen: Set<string>): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return FIRST_COMPONENT_WAVE; // cycle: reported by validation
    seen.add(name);
    const deps = byName.get(name)?.dependsOn ?? [];
    const wave = deps.length ? Math.max(...deps.filter((d) => byName.has(d)).map((d) => visit(d, seen)), FIRST_COMPONENT_WAVE - 1) + 1 : FIRST_COMPONENT_WAVE;
    waves.set(name, wave);
    return wave;
  };
  for (const c of app.components) visit(c.name, new Set());
  return waves;
}

/** The first dependency cycle found, as a path `a -> b -> a`, or undefined. */
export function findCycle(app: AppSpec): string[] | undefined {
  const byName = new Map(app.components.map((c) => [c.name, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const dfs = (name: string): string[] | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep)) continue;
      if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (!state.has(dep)) {
        const found = dfs(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const c of app.components) {
    if (!state.has(c.name)) {
      const found = dfs(c.name);
      if (found) return found;
    }
  }
  return undefined;
}
