/** What an import produces before anything is written: the platform as data, secret values, notes. */
import type { ComponentSpec, SecretDecl, SharedVolumeSpec } from '@gitops/core';

export type NoteKind = 'dropped' | 'changed' | 'refused' | 'warning' | 'added';

/** One line of the import report: a compose field not carried over, changed, or something added. */
export interface Note {
  service?: string;
  field: string;
  kind: NoteKind;
  message: string;
}

export interface PlannedComponent {
  /** The compose service it came from. */
  service: string;
  /** TypeScript identifier of its module's export (camelCase). */
  varName: string;
  /** Short description for the module header. */
  summary: string;
  spec: ComponentSpec;
  /** Container ports reachable from outside the namespace (compose `ports:` published). */
  publishedPorts: number[];
}

export interface PlannedConfigMap {
  name: string;
  data: Record<string, string>;
  /** Where the content came from (compose file path or configs entry). */
  source: string;
}

export interface ImportPlan {
  platform: string;
  description: string;
  namespace: string;
  sources: string[];
  components: PlannedComponent[];
  configMaps: PlannedConfigMap[];
  secrets: SecretDecl[];
  /** secret -> key -> value; written only encrypted, never printed. */
  secretValues: Map<string, Map<string, string>>;
  volumes: SharedVolumeSpec[];
  /** Image repository -> tag (the same in every environment at import time). */
  releases: Record<string, string>;
  /** Put a NodePort on published ports in dev. */
  devNodePorts: boolean;
  notes: Note[];
}
