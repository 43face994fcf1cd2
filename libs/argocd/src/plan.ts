/**
 * Where each generated Argo CD file goes, and the plan of every platform Application: its target
 * (from the platform's build) and the folders its render reads.
 */
import { ARGOCD_ROOT } from './config';
import { inventory, type AppTarget, type ArgoCdBuild, type PlatformInventory } from './inventory';

export const LAYOUT = {
  projects: `${ARGOCD_ROOT}/projects`,
  apps: (env: string) => `${ARGOCD_ROOT}/apps/${env}`,
  bootstrapCommon: `${ARGOCD_ROOT}/bootstrap/common`,
  bootstrap: (env: string) => `${ARGOCD_ROOT}/bootstrap/${env}`,
  install: `${ARGOCD_ROOT}/install`,
  readme: `${ARGOCD_ROOT}/README.md`,
} as const;

export const applicationFile = (t: Pick<AppTarget, 'env' | 'stem'>): string => `${LAYOUT.apps(t.env)}/${t.stem}.yaml`;
export const projectFile = (platform: string): string => `${LAYOUT.projects}/${platform}.yaml`;

export interface ApplicationEntry {
  /** Its target; `target.reads`: the repository folders the app's render reads (without the leading `/`). */
  target: AppTarget;
  file: string;
}

/** Inventories and per-Application generate paths of every platform build, in platform name order. */
export function planArgoCd(builds: readonly ArgoCdBuild[]): { inventories: PlatformInventory[]; applications: ApplicationEntry[] } {
  const sorted = [...builds].sort((a, b) => (a.platform.name < b.platform.name ? -1 : 1));
  const inventories = sorted.map(inventory);
  const applications: ApplicationEntry[] = [];
  const files = new Map<string, string>();
  for (const inv of inventories) {
    for (const t of inv.targets) {
      const file = applicationFile(t);
      const clash = files.get(file);
      if (clash) throw new Error(`Argo CD application ${t.name} (${t.platform}/${t.app}) clashes with ${clash}: rename the app or platform`);
      files.set(file, `${t.platform}/${t.app}`);
      applications.push({ target: t, file });
    }
  }
  return { inventories, applications };
}
