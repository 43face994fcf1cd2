/** Shared accessors for the rendered objects (plain JSON as kustomize printed it). */
export const ENVS = ['dev', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];

export const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/cptm8';
export const GO = ['asmm8', 'naabum8', 'katanam8', 'num8', 'reportingm8', 'orchestratorm8'] as const;
export const FRONTENDS = ['dashboardm8', 'socketm8'] as const;

/** The pod spec of any workload kind. */
export function podSpec(obj: any): any {
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template.spec;
  return obj.spec.template.spec;
}

export function podTemplate(obj: any): any {
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template;
  return obj.spec.template;
}

export const mainContainer = (obj: any): any => podSpec(obj).containers[0];
export const allContainers = (obj: any): any[] => [...(podSpec(obj).initContainers ?? []), ...podSpec(obj).containers];
export const isWorkload = (o: any): boolean => ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'].includes(o.kind);

export const vct = (sts: any, name: string): any => {
  const t = sts.spec.volumeClaimTemplates.find((v: any) => v.metadata.name === name);
  if (!t) throw new Error(`${sts.metadata.name} has no volumeClaimTemplate ${name}`);
  return t;
};

export const envVar = (container: any, name: string): any => container.env?.find((e: any) => e.name === name);
export const volume = (obj: any, name: string): any => podSpec(obj).volumes?.find((v: any) => v.name === name);
