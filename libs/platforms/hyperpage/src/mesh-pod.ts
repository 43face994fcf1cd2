/**
 * Pod annotations every workload carries where the mesh runs (staging, prod). Settings are
 * per environment, so these go into `settings.<env>.podAnnotations` of each component.
 */
import type { ComponentSettings, EnvName } from '@gitops/core';
import { MESH_ENVS, PROXY_RESOURCES } from './design';

/** D14: a sized proxy (the quota counts it) that is up before the app opens connections. */
export const MESH_POD_ANNOTATIONS: Record<string, string> = {
  'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}',
  'sidecar.istio.io/proxyCPU': PROXY_RESOURCES.requests!.cpu!,
  'sidecar.istio.io/proxyMemory': PROXY_RESOURCES.requests!.memory!,
  'sidecar.istio.io/proxyCPULimit': PROXY_RESOURCES.limits!.cpu!,
  'sidecar.istio.io/proxyMemoryLimit': PROXY_RESOURCES.limits!.memory!,
};

/** `{ staging: {podAnnotations}, prod: {podAnnotations} }`, merged into a component's per-env settings. */
export function meshSettings(extra: Partial<Record<EnvName, ComponentSettings>> = {}): Partial<Record<EnvName, ComponentSettings>> {
  const out: Partial<Record<EnvName, ComponentSettings>> = { ...extra };
  for (const env of MESH_ENVS) {
    const own = extra[env] ?? {};
    out[env] = { ...own, podAnnotations: { ...MESH_POD_ANNOTATIONS, ...(own.podAnnotations ?? {}) } };
  }
  return out;
}

/**
 * Shell line that stops the Istio sidecar when a Job's script exits, so the Job can complete
 * (D19). In dev there is no sidecar and the call fails quietly.
 */
export const QUIT_SIDECAR_WGET = "wget -q -O /dev/null --post-data='' http://127.0.0.1:15020/quitquitquit 2>/dev/null || true";
export const QUIT_SIDECAR_CURL = 'curl -fsS -o /dev/null -X POST http://127.0.0.1:15020/quitquitquit 2>/dev/null || true';
