/** Kubernetes resource quantities (resource.Quantity): "500m", "1.5", "2Gi", "1e3", "128974848". */

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a quantity in base units (cores, bytes), or undefined if it is not a quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const [, num, exp, suffix] = m;
  return Number(num) * (exp ? 10 ** Number(exp.slice(1)) : SUFFIX[suffix ?? '']);
}

export interface RequestLimitPair {
  resource: string;
  request: unknown;
  limit: unknown;
  /** Which side is not a quantity (then the comparison was not made). */
  unparsable?: 'request' | 'limit';
}

/**
 * Resources whose limit is below the request (kube-apiserver: "must be less than or equal to cpu
 * limit"), plus pairs where either side is not a quantity; resources with only one side are fine.
 */
export function requestLimitProblems(requests: Record<string, unknown> | undefined, limits: Record<string, unknown> | undefined): RequestLimitPair[] {
  const out: RequestLimitPair[] = [];
  for (const [resource, request] of Object.entries(requests ?? {})) {
    const limit = limits?.[resource];
    if (request === undefined || limit === undefined) continue;
    const [r, l] = [parseQuantity(request), parseQuantity(limit)];
    if (r === undefined) out.push({ resource, request, limit, unparsable: 'request' });
    else if (l === undefined) out.push({ resource, request, limit, unparsable: 'limit' });
    else if (l < r) out.push({ resource, request, limit });
  }
  return out;
}
