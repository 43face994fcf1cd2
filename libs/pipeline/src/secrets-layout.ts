import type { AppSpec } from '@gitops/core';

/** Encrypted file of a declared secret, relative to its overlay: secrets/<name>.enc.yaml. */
export function secretFileName(secret: string): string {
  return `secrets/${secret}.enc.yaml`;
}

export function secretFilesFor(app: AppSpec): string[] {
  return (app.secrets ?? []).map((s) => secretFileName(s.name)).sort();
}

/** Declared secrets of an app, in the shape the validator takes. */
export function declaredSecretsOf(
  p: { spec: { apps: AppSpec[] } },
  app: string,
  objects: Array<{ kind: string; metadata?: { namespace?: string } }>,
): Array<{ name: string; namespace?: string; keys: string[] }> {
  const namespace = objects.find((o) => o.kind !== 'Namespace' && o.metadata?.namespace)?.metadata?.namespace;
  const a = p.spec.apps.find((x) => x.name === app);
  return (a?.secrets ?? []).map((s) => ({ name: s.name, ...(namespace ? { namespace } : {}), keys: s.keys.map((k) => k.name) }));
}
