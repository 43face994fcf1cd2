/**
 * What one component runs in one environment, read from its compiled objects (typed views from
 * kubernetes-models): images, replicas or HPA range, requests and limits, storage, exposure, wave.
 */
import type { KubeObject } from '@gitops/core';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The facts shown in one matrix cell, each already a display string ('' = none). */
export interface ComponentFacts {
  workloads: string;
  images: string;
  replicas: string;
  resources: string;
  storage: string;
  exposure: string;
  wave: string;
}

export const FACT_LABELS: Record<keyof ComponentFacts, string> = {
  workloads: 'workload',
  images: 'image',
  replicas: 'replicas',
  resources: 'requests / limits',
  storage: 'storage',
  exposure: 'exposure',
  wave: 'sync wave',
};

export const isWorkload = (o: KubeObject): boolean => (WORKLOAD_KINDS as readonly string[]).includes(o.kind);

/** The pod template of a workload (CronJob: of its job template). */
export function podTemplate(o: KubeObject): IPodTemplateSpec | undefined {
  const spec = o.spec as { template?: IPodTemplateSpec; jobTemplate?: { spec?: { template?: IPodTemplateSpec } } } | undefined;
  return o.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : spec?.template;
}

export const podLabels = (o: KubeObject): Record<string, string> => (podTemplate(o)?.metadata?.labels as Record<string, string>) ?? {};

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

function containers(o: KubeObject): IContainer[] {
  return podTemplate(o)?.spec?.containers ?? [];
}

function replicas(o: KubeObject, all: KubeObject[]): string {
  if (o.kind === 'CronJob') return `cron ${(o.spec as { schedule?: string }).schedule ?? '?'}`;
  if (o.kind === 'Job') return 'job';
  if (o.kind === 'DaemonSet') return 'one per node';
  const hpa = (all.filter((h) => h.kind === 'HorizontalPodAutoscaler') as unknown as IHorizontalPodAutoscaler[]).find(
    (h) => h.spec?.scaleTargetRef?.name === o.metadata?.name && h.spec?.scaleTargetRef?.kind === o.kind,
  );
  if (hpa?.spec) return `HPA ${hpa.spec.minReplicas ?? 1}–${hpa.spec.maxReplicas}`;
  return String((o.spec as { replicas?: number }).replicas ?? 1);
}

function resources(c: IContainer): string {
  const r = c.resources ?? {};
  const pair = (k: 'cpu' | 'memory') => `${r.requests?.[k] ?? '–'}/${r.limits?.[k] ?? '–'}`;
  return `cpu ${pair('cpu')} · mem ${pair('memory')}`;
}

function storage(o: KubeObject, all: KubeObject[]): string[] {
  const out: string[] = [];
  const describe = (name: string, pvc: IPersistentVolumeClaim['spec'] | undefined) =>
    `${name} ${pvc?.resources?.requests?.storage ?? '?'}${pvc?.storageClassName ? ` (${pvc.storageClassName})` : ''}`;
  for (const t of ((o.spec as { volumeClaimTemplates?: IPersistentVolumeClaim[] }).volumeClaimTemplates ?? [])) out.push(describe(t.metadata?.name ?? '?', t.spec));
  for (const v of podTemplate(o)?.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = all.find((x) => x.kind === 'PersistentVolumeClaim' && x.metadata?.name === claim) as IPersistentVolumeClaim | undefined;
    out.push(describe(claim, pvc?.spec));
  }
  return out;
}

function exposure(workloads: KubeObject[], all: KubeObject[]): string[] {
  const labels = workloads.map(podLabels);
  const services = all.filter((s) => s.kind === 'Service' && labels.some((l) => matches((s as IService).spec?.selector as Record<string, string>, l))) as IService[];
  const out: string[] = [];
  for (const s of services) {
    const ports = (s.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}→${p.nodePort}` : String(p.port))).join(',');
    out.push(`${s.spec?.type ?? 'ClusterIP'} ${s.metadata?.name}:${ports}${s.spec?.clusterIP === 'None' ? ' (headless)' : ''}`);
    for (const ing of all.filter((x) => x.kind === 'Ingress') as IIngress[]) {
      for (const rule of ing.spec?.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          if (p.backend.service?.name === s.metadata?.name) out.push(`Ingress ${rule.host ?? '*'}${p.path ?? '/'}`);
        }
      }
    }
  }
  return [...new Set(out)];
}

/** Facts of the workloads of one component (one compiled group), given every object of the app. */
export function componentFacts(workloads: KubeObject[], all: KubeObject[]): ComponentFacts {
  const waves = [...new Set(workloads.map((w) => w.metadata?.annotations?.[SYNC_WAVE]).filter((w): w is string => w !== undefined))];
  const multi = workloads.length > 1;
  const each = (f: (w: KubeObject) => string) => workloads.map((w) => (multi ? `${w.metadata?.name}: ${f(w)}` : f(w))).join('\n');
  return {
    workloads: workloads.map((w) => `${w.kind}/${w.metadata?.name}`).join('\n'),
    images: [...new Set(workloads.flatMap((w) => containers(w).map((c) => c.image ?? '?')))].join('\n'),
    replicas: each((w) => replicas(w, all)),
    resources: workloads.flatMap((w) => containers(w).map((c) => `${containers(w).length > 1 || multi ? `${c.name}: ` : ''}${resources(c)}`)).join('\n'),
    storage: [...new Set(workloads.flatMap((w) => storage(w, all)))].join('\n'),
    exposure: exposure(workloads, all).join('\n'),
    wave: waves.join(', '),
  };
}
