/**
 * Tests that need real components skip on a developer machine that lacks them (reason printed) and
 * FAIL in CI (CI=true), like libs/cluster's tests: `.ci/run` builds the toolchain first.
 */
import { resolve } from 'node:path';
import { lookupTool, type ToolName } from '@gitops/cluster';

export const ROOT = resolve(__dirname, '../../..');

export function missing(what: Array<ToolName | { name: string; found: () => boolean }>): string | undefined {
  const absent = what.filter((w) => (typeof w === 'string' ? !lookupTool(w, ROOT) : !w.found())).map((w) => (typeof w === 'string' ? w : w.name));
  if (!absent.length) return undefined;
  const reason = `real components missing: ${absent.join(', ')} (node tools/toolchain/build.mjs; apt-get install redis-server)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${reason}; CI=true, so this is a failure, not a skip`);
  process.stderr.write(`SKIPPED: ${reason}\n`);
  return reason;
}
