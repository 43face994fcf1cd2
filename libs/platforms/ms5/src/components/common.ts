/** Fields every MS5 workload shares: its own ServiceAccount, the ACR pull secret, a non-root pod (containers get core's restricted default). */
import type { ComponentSpec } from '@gitops/core';
import { PULL_SECRET } from '../constants';
import { TOKEN_ACCOUNTS } from '../rbac';
import { podSecurity } from '../security';

type Base = Pick<ComponentSpec, 'serviceAccount' | 'automountServiceAccountToken' | 'imagePullSecrets' | 'podSecurityContext'>;

export function workloadBase(name: string, uid: number, gid: number = uid): Base {
  return {
    serviceAccount: name,
    // Only Prometheus talks to the Kubernetes API (pod discovery); nobody else gets a token.
    automountServiceAccountToken: TOKEN_ACCOUNTS.has(name),
    imagePullSecrets: [PULL_SECRET],
    podSecurityContext: podSecurity(uid, gid),
  };
}

/** Exec probe: a command inside the container (no shell expansion). */
export const exec = (...cmd: string[]) => ({ exec: cmd });
/** Exec probe through sh (for pipes and environment variables). */
export const shell = (script: string) => ({ exec: ['sh', '-c', script] });
