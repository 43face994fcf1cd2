import type { Inventory, Obj } from './inventory';
import type { DeclaredSecret, PolicyLevel, RepoPaths } from './types';

/** What a finding is attached to: a rendered object, or a namespace that was not rendered itself. */
export type Target = Pick<Obj, 'kind' | 'name' | 'namespace' | 'source'> & { index: number };

export interface Context {
  level: PolicyLevel;
  inv: Inventory;
  declaredSecrets: DeclaredSecret[];
  storageClasses?: string[];
  repo?: RepoPaths;
  /** Report a finding; ignored when the rule is not active at the level. */
  emit(target: Target, rule: string, path: string, message: string): void;
  active(rule: string): boolean;
}
