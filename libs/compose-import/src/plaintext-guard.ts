/**
 * The last check before anything is written: no secret value may appear in the emitted library.
 * Interpolation fills `${VAR}` everywhere in the compose file (command, entrypoint, healthcheck,
 * mounted config files), but only environment entries become Secret references, so a password
 * interpolated into a command would otherwise land in `src/` in plain text.
 */
import { UserError } from '@gitops/core';
import { SECRET_PLACEHOLDER } from '@gitops/secrets-workflow';
import type { FileMap } from './emit';
import type { ImportPlan } from './plan';

/** Shorter values (`1`, `yes`) occur in code by chance; a real credential is longer. */
const MIN_SECRET_LENGTH = 4;
/**
 * A value that is a plain lowercase name (`nextcloud`, `grafana`) cannot be told apart from the
 * service, database and user names that legitimately appear in the code: such values are not checked
 * (a known limit, in the README). Anything with upper case, digits-and-symbols mixes, etc. is.
 */
const PLAIN_NAME = /^[a-z][a-z0-9_.-]*$/;

export function refusePlaintextSecrets(plan: ImportPlan, files: FileMap): void {
  for (const [secret, values] of plan.secretValues) {
    for (const [key, value] of values) {
      if (value.length < MIN_SECRET_LENGTH || PLAIN_NAME.test(value) || value === SECRET_PLACEHOLDER) continue;
      for (const [file, text] of files) {
        if (!text.includes(value)) continue;
        // Name the place and the key, never the value.
        throw new UserError(
          `${file}: the value of secret ${secret}.${key} would be written in plain text (interpolated into a command, ` +
            `healthcheck or mounted file); in the compose file reference it from the container's environment ` +
            `($$VAR in the command) instead of interpolating it, then import again`,
          2,
        );
      }
    }
  }
}
