/**
 * Quantities in the units capacity sums use (quotas, postgresql.conf sizing). The parser itself is
 * kube-apiserver's rule and lives with the other value rules in @gitops/validate; this file only
 * converts, and refuses what is not a quantity instead of summing NaN.
 */
import { parseQuantity } from '@gitops/validate/values';

/** Drops floating-point noise of the unit conversion (0.15 * 1000 = 150.00000000000003). */
const clean = (x: number): number => Number(x.toPrecision(12));

function required(q: unknown, what: 'CPU' | 'memory'): number {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`${JSON.stringify(q)} is not a Kubernetes ${what} quantity (e.g. ${what === 'CPU' ? '"500m" or "2"' : '"512Mi" or "2Gi"'})`);
  return v;
}

/** CPU in millicores: "500m" → 500, "2" → 2000, "1.5" → 1500. Throws on anything that is not a quantity. */
export function millicores(q: string | number): number {
  return clean(required(q, 'CPU') * 1000);
}

/** Memory or storage in MiB: "512Mi" → 512, "4Gi" → 4096, "1Ti" → 1048576. Throws on anything that is not a quantity. */
export function mebibytes(q: string | number): number {
  return clean(required(q, 'memory') / 2 ** 20);
}
