/** `gitops all`, the main job: generate everything, then render and validate every overlay. */
import { generateAll, type GenerateResult } from './generate';
import { validatePlatforms, type OverlayResult, type ValidateRunOptions } from './validate';

export interface AllResult {
  generate: GenerateResult;
  /** Generated files that differ from the tree (with `check`: what would be written or removed). */
  drift: string[];
  /** Absent when `check` found drift: validating a stale tree would report on the wrong objects. */
  results?: OverlayResult[];
}

export async function generateAndValidate(
  root: string,
  names: string[],
  opts: Omit<ValidateRunOptions, 'env'> & { check?: boolean },
): Promise<AllResult> {
  opts.onProgress?.('1/2 generate');
  const generate = await generateAll(root, names, { check: opts.check, onProgress: opts.onProgress, argoCd: opts.argoCd });
  const drift = generate.summary.flatMap((g) => [...g.written, ...g.removed]);
  if (opts.check && drift.length) return { generate, drift };
  opts.onProgress?.('2/2 render + validate');
  return { generate, drift, results: await validatePlatforms(root, names, opts, generate.builds.map((b) => b.platform)) };
}
