/** Fields every MS5 workload shares: its own ServiceAccount, the ACR pull secret, a hardened container. */
import type { ComponentSpec } from '@gitops/core';
import { PULL_SECRET } from '../constants';
import { HARDENED_CONTAINER, podSecurity } from '../security';

export function workloadBase(name: string, uid: number, gid: number = uid): Pick<ComponentSpec, 'serviceAccount' | 'imagePullSecrets' | 'securityContext' | 'podSecurityContext'> {
  return {
    serviceAccount: name,
    imagePullSecrets: [PULL_SECRET],
    securityContext: HARDENED_CONTAINER,
    podSecurityContext: podSecurity(uid, gid),
  };
}

/** Exec probe: a command inside the container (no shell expansion). */
export const exec = (...cmd: string[]) => ({ exec: cmd });
/** Exec probe through sh (for pipes and environment variables). */
export const shell = (script: string) => ({ exec: ['sh', '-c', script] });
