/** The pure parts of apply, on text the real kube-apiserver 1.36 returned in this project's runs. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { statusMessage, suppressionFor, violatedChecks, warningTexts } from '../src';

const PSA =
  'would violate PodSecurity "restricted:latest": restricted volume types (volume "varlog" uses restricted volume type "hostPath"), runAsNonRoot != true (container "promtail" must not set securityContext.runAsNonRoot=false), runAsUser=0 (container "promtail" must not set runAsUser=0)';

describe('API server warnings', () => {
  it('reads every text of a Warning header, unescaping quotes and backslashes', () => {
    const escaped = PSA.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    expect(warningTexts(`299 - "${escaped}"`)).toEqual([PSA]);
    expect(warningTexts(`299 - "a, b", 299 - "second \\"quoted\\""`)).toEqual(['a, b', 'second "quoted"']);
  });

  it('words a rejection as kubectl does, from the API Status', () => {
    const body = JSON.stringify({ kind: 'Status', reason: 'Invalid', message: 'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable' });
    expect(statusMessage({ status: 422, body, warnings: [] })).toBe('Error from server (Invalid): PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable');
    expect(statusMessage({ status: 400, body: JSON.stringify({ reason: 'BadRequest', message: '.bogus: field not declared in schema' }), warnings: [] })).toBe('Error from server: .bogus: field not declared in schema');
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
