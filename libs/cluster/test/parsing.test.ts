/** The pure parts of apply, on text the real kubectl 1.32 / kube-apiserver 1.36 printed in this project's runs. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { parseKubectlStderr, suppressionFor, violatedChecks } from '../src';

const PSA =
  'would violate PodSecurity "restricted:latest": restricted volume types (volume "varlog" uses restricted volume type "hostPath"), runAsNonRoot != true (container "promtail" must not set securityContext.runAsNonRoot=false), runAsUser=0 (container "promtail" must not set runAsUser=0)';

describe('kubectl output', () => {
  it('splits warnings and multi-line rejections', () => {
    const stderr = [
      `Warning: ${PSA}`,
      'Error from server (Invalid): Deployment.apps "web" is invalid: spec.template.spec.containers[0].ports[1].name: Duplicate value: "http"',
      'Error from server (Invalid): PersistentVolumeClaim "app-logs-pvc" is invalid: spec: Forbidden: spec is immutable after creation',
      '    @@ -1,16 +1,16 @@',
      '     {',
    ].join('\n');
    const r = parseKubectlStderr(stderr);
    expect(r.warnings).toEqual([PSA]);
    expect(r.errors).toHaveLength(2);
    expect(r.errors[1]).toMatch(/^Error from server \(Invalid\): PersistentVolumeClaim .*\n {4}@@/);
  });
});

describe('Pod Security warnings and suppressions', () => {
  const promtail = (suppress?: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'promtail', ...(suppress ? { annotations: { 'gitops.io/suppress': suppress } } : {}) } });

  it('splits the violated checks at top-level commas only', () => {
    expect(violatedChecks(PSA).map((c) => c.split(' (')[0])).toEqual(['restricted volume types', 'runAsNonRoot != true', 'runAsUser=0']);
  });

  it('is suppressed only when every violated check is suppressed on the object', () => {
    expect(suppressionFor(promtail(), PSA)).toBeUndefined();
    expect(suppressionFor(promtail('pss-host-path: reads node logs'), PSA)).toBeUndefined();
    expect(suppressionFor(promtail('pss-host-path: reads node logs; pss-run-as-non-root: logs are root-owned'), PSA)).toBe('pss-host-path: reads node logs; pss-run-as-non-root: logs are root-owned');
  });

  it('a check with no validate rule is never suppressed', () => {
    expect(suppressionFor(promtail('pss-host-path: x'), 'would violate PodSecurity "restricted:latest": procMount (container "a" must not set procMount)')).toBeUndefined();
  });
});
