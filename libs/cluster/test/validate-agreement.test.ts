/**
 * Issue 19 item 8: `gitops validate` agrees with the real kube-apiserver (1.36, the pinned
 * toolchain). Each case is one fault on an otherwise valid object; the API server judges it with a
 * server-side dry run, `@gitops/validate` with its API rules. A case the server rejects must have an
 * API-rule finding and a case it accepts must have none, so neither side can drift unnoticed.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { validateObjects } from '@gitops/validate';
import { kubectlPath, serverSideApply } from '../src';
import { missingTools, useControlPlane } from './support';
import { dryRunCases } from './dry-run-cases';

const skip = missingTools(['etcd', 'kube-apiserver']);
const dryRunSkip = skip ?? missingTools(['kustomize', 'sops']);
/** The rules that stand for "the API server rejects this object". */
const API_RULES = new Set(['api-object-name', 'api-label', 'api-cron-schedule', 'api-replicas', 'api-env-name', 'res-limit-below-request', 'api-port-range']);
const NS = 'agree';

type Case = [string, KubeObject];
const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });
const deployment = (name: string, c: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS, labels: { app: 'x', ...labels } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [container(c)] } }, ...spec },
}) as KubeObject;
const cronJob = (name: string, schedule: string, timeZone?: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: NS },
  spec: { schedule, ...(timeZone !== undefined ? { timeZone } : {}), jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } },
}) as KubeObject;
const service = (name: string, port: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector: { app: 'x' }, ports: [{ port: 80, ...port }] },
}) as KubeObject;
const env = (name: string) => ({ env: [{ name, value: '1' }] });
const hpa = (name: string, minReplicas: number, maxReplicas: number): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: NS },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas, maxReplicas },
}) as KubeObject;

const CASES: Case[] = [
  ['cron: valid five fields with names, lists, steps and ?', cronJob('cron-ok', '*/15 1-5,22 ? jan-mar,DEC mon-fri')],
  ['cron: @every 1h30m', cronJob('cron-every', '@every 1h30m')],
  ['cron: @daily with an IANA time zone', cronJob('cron-daily', '@daily', 'Europe/Amsterdam')],
  ['cron: minute 61', cronJob('cron-61', '61 * * * *')],
  ['cron: six fields', cronJob('cron-six', '0 0 3 * * *')],
  ['cron: 7 for Sunday', cronJob('cron-seven', '0 3 * * 7')],
  ['cron: Quartz L', cronJob('cron-l', '0 3 L * *')],
  ['cron: CRON_TZ in the schedule', cronJob('cron-tz', 'CRON_TZ=UTC 0 3 * * *')],
  ['cron: unknown descriptor', cronJob('cron-macro', '@fortnightly')],
  ['cron: @every without a unit', cronJob('cron-every-bad', '@every 5')],
  ['cron: unknown time zone', cronJob('cron-zone', '0 3 * * *', 'Mars/Olympus_Mons')],
  ['cron: Local time zone', cronJob('cron-local', '0 3 * * *', 'Local')],
  ['cron: name of 53 characters', cronJob('c'.repeat(53), '0 3 * * *')],
  ['env: FOO=BAR', deployment('env-equals', env('FOO=BAR'))],
  ['env: empty name', deployment('env-empty', env(''))],
  ['env: non-ASCII name', deployment('env-umlaut', env('GRÖSSE'))],
  ['env: 1BAD (relaxed since 1.32)', deployment('env-digit', env('1BAD'))],
  ['env: a name with a space (relaxed since 1.32)', deployment('env-space', env('MY VAR'))],
  ['env: log.level', deployment('env-dot', env('log.level'))],
  ['replicas: -1', deployment('replicas-negative', {}, { replicas: -1 })],
  ['replicas: 0', deployment('replicas-zero', {}, { replicas: 0 })],
  ['hpa: minReplicas 0', hpa('hpa-zero', 0, 3)],
  ['hpa: maxReplicas below minReplicas', hpa('hpa-inverted', 3, 2)],
  ['hpa: 1 to 1', hpa('hpa-one', 1, 1)],
  ['resources: cpu limit below request', deployment('limit-cpu', { resources: { requests: { cpu: '500m' }, limits: { cpu: '250m' } } })],
  ['resources: memory limit below request in other units', deployment('limit-mem', { resources: { requests: { memory: '1Gi' }, limits: { memory: '1000Mi' } } })],
  ['resources: equal limit and request in other units', deployment('limit-equal', { resources: { requests: { cpu: '1', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1Gi' } } })],
  ['ports: containerPort 70000', deployment('port-high', { ports: [{ containerPort: 70000 }] })],
  ['ports: containerPort 0', deployment('port-zero', { ports: [{ containerPort: 0 }] })],
  ['ports: hostPort 70000', deployment('port-host', { ports: [{ containerPort: 80, hostPort: 70000 }] })],
  ['ports: Service port 0', service('svc-port-zero', { port: 0 })],
  ['ports: Service targetPort 70000', service('svc-target', { targetPort: 70000 })],
  ['labels: value with a space and !', deployment('label-value', {}, {}, { tier: 'front end!' })],
  ['labels: value of 64 characters', deployment('label-long', {}, {}, { tier: 'a'.repeat(64) })],
  ['labels: value of 63 characters', deployment('label-63', {}, {}, { tier: 'a'.repeat(63) })],
  ['labels: key with !', deployment('label-key', {}, {}, { 'Bad_Key!': 'x' })],
  ['labels: uppercase key prefix', deployment('label-prefix', {}, {}, { 'Example.com/team': 'x' })],
  ['labels: prefixed key', deployment('label-ok', {}, {}, { 'example.com/Team_1': 'A.b-c' })],
  ['names: uppercase Deployment', deployment('Web')],
  ['names: Deployment with dots', deployment('web.v2')],
  ['names: Service starting with a digit (DNS-1123 label since RelaxedServiceNameValidation)', service('9lives')],
  ['names: ConfigMap in CamelCase', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'AppConfig', namespace: NS }, data: { a: 'b' } } as KubeObject],
  ['names: Namespace with a dot', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } } as KubeObject],
  ['names: ClusterRole with colons and capitals (path segment)', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:Agree:reader' }, rules: [] } as KubeObject],
  ['names: PriorityClass in capitals', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'Critical' }, value: 1000 } as KubeObject],
  ['names: Service with a dot', service('web.v2')],
];

describe.skipIf(!!skip)('validate agrees with a real kube-apiserver', () => {
  const cluster = useControlPlane('agree', { controllerManager: false });
  const t = () => ({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig });
  beforeAll(async () => {
    const ns = await serverSideApply(t(), [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KubeObject]);
    expect(ns.errors).toEqual([]);
  }, 240_000);

  it('rejects exactly the objects validate reports under an API rule', async () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const [what, object] of CASES) {
      const server = await serverSideApply({ ...t(), dryRun: true }, [object]);
      const findings = validateObjects([{ object }], { policy: 'none' }).findings.filter((f) => API_RULES.has(f.rule));
      const serverRejects = server.errors.length > 0;
      if (serverRejects) rejected++;
      if (serverRejects !== findings.length > 0) {
        disagreements.push(`${what}: kube-apiserver ${serverRejects ? `rejects (${server.errors.join(' ')})` : 'accepts'}, validate ${findings.length ? `reports ${findings.map((f) => `${f.rule} ${f.path}`).join(', ')}` : 'reports nothing'}`);
      }
    }
    expect(disagreements).toEqual([]);
    // Both verdicts occur, so agreement is not vacuous.
    expect(rejected).toBeGreaterThan(10);
    expect(rejected).toBeLessThan(CASES.length - 5);
  });

  // On the same control plane (no CRDs, none of the platforms' Namespaces): one kube-apiserver less.
  describe.skipIf(!!dryRunSkip)('apply --dry-run server', () => dryRunCases(cluster));
});
