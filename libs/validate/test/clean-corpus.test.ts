import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateObjects, type PolicyLevel } from '../src';
import { CLEAN_DECLARED, CORPUS, loadDir } from './helpers';

const objects = loadDir(join(CORPUS, 'clean'));

describe('clean corpus', () => {
  it('holds a realistic app and one object of each custom kind', () => {
    const kinds = new Set(objects.map((o) => `${o.object.apiVersion.split('/')[0]}/${o.object.kind}`));
    for (const k of [
      'v1/Namespace', 'apps/Deployment', 'v1/Service', 'networking.k8s.io/Ingress', 'v1/ConfigMap', 'v1/Secret',
      'v1/PersistentVolumeClaim', 'apps/StatefulSet', 'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget',
      'networking.k8s.io/NetworkPolicy', 'v1/ServiceAccount', 'rbac.authorization.k8s.io/Role',
      'rbac.authorization.k8s.io/RoleBinding', 'batch/CronJob',
      'argoproj.io/Application', 'argoproj.io/AppProject', 'argoproj.io/ApplicationSet',
      'networking.istio.io/Gateway', 'networking.istio.io/VirtualService', 'networking.istio.io/DestinationRule',
      'security.istio.io/PeerAuthentication', 'security.istio.io/AuthorizationPolicy',
      'monitoring.coreos.com/ServiceMonitor', 'monitoring.coreos.com/PodMonitor', 'monitoring.coreos.com/PrometheusRule',
      'traefik.io/IngressRoute', 'traefik.io/Middleware',
      'cert-manager.io/ClusterIssuer', 'cert-manager.io/Issuer', 'cert-manager.io/Certificate',
      'velero.io/Schedule', 'velero.io/Backup', 'velero.io/BackupStorageLocation',
      'secrets-store.csi.x-k8s.io/SecretProviderClass',
    ]) {
      expect(kinds, k).toContain(k);
    }
  });

  for (const policy of ['restricted', 'baseline', 'privileged', 'none'] as PolicyLevel[]) {
    it(`has no findings at ${policy}`, () => {
      const result = validateObjects(objects, { policy, declaredSecrets: CLEAN_DECLARED, platform: 'shop', env: policy });
      expect(result.findings).toEqual([]);
      expect(result.suppressions).toEqual([]);
      expect(result.objects).toBe(objects.length);
    });
  }

  it('needs the declared secrets (they are really referenced)', () => {
    const result = validateObjects(objects, { policy: 'none' });
    expect(result.findings.map((f) => `${f.rule} ${f.path}`).sort()).toEqual([
      'ref-image-pull-secret spec.template.spec.imagePullSecrets[0].name',
      'ref-secret spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name',
    ]);
  });
});
