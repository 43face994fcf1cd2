/**
 * Container resources and resource ladders (one size per environment, smallest in dev).
 */
import { ENVIRONMENT_ORDER, type EnvName } from '../environment';
import type { Resources } from '../model';
import { requestLimitProblems } from '@gitops/validate/values';

/** Requests and limits in the order a sizing table reads: request CPU, request memory, limit CPU, limit memory. */
export function resources(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): Resources {
  return { requests: { cpu: requestCpu, memory: requestMemory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Resources of a container in every environment. */
export type ResourceLadder = Record<EnvName, Resources>;

/**
 * A ladder, checked: in every environment each limit is at least its request (kube-apiserver
 * rejects the workload otherwise, and only when it is applied). Throws naming the environment
 * and the field.
 */
export function resourceLadder(ladder: ResourceLadder): ResourceLadder {
  for (const env of ENVIRONMENT_ORDER) {
    const r = ladder[env];
    if (!r) throw new Error(`resource ladder: no resources for environment "${env}"`);
    // The API server's rule, from its one home (@gitops/validate/values), as spec validation uses it.
    for (const p of requestLimitProblems(r.requests, r.limits)) {
      if (p.unparsable) throw new Error(`resource ladder: ${env}.${p.unparsable === 'request' ? 'requests' : 'limits'}.${p.resource} "${p.unparsable === 'request' ? p.request : p.limit}" is not a Kubernetes quantity`);
      throw new Error(`resource ladder: ${env}.limits.${p.resource} ${p.limit} is below ${env}.requests.${p.resource} ${p.request}`);
    }
  }
  return ladder;
}
