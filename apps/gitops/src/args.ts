/** Argument checks shared by commands: bad input exits 2 with the allowed values named. */
import { UserError } from '@gitops/core';
import { envNames } from '@gitops/environments';
import type { LoadedPlatform } from '@gitops/pipeline';

export function requireEnv(env: string): string {
  if (!envNames.includes(env as never)) throw new UserError(`unknown environment "${env}" (known: ${envNames.join(', ')})`, 2);
  return env;
}

export function requireApp(p: LoadedPlatform, app: string | undefined): void {
  if (app && !p.spec.apps.some((a) => a.name === app)) {
    throw new UserError(`platform ${p.name} has no app "${app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
  }
}
