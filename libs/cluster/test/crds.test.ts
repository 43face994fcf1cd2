/** Which vendored CRDs `gitops apply` applies: those defining a kind (group and kind) its objects use. */
import { describe, expect, it } from 'vitest';
import { crdsUsedBy, vendoredCrds } from '../src';
import { ROOT } from './support';

describe('crdsUsedBy', () => {
  const crds = vendoredCrds(ROOT);
  const names = (objects: Array<{ apiVersion: string; kind: string }>) => crdsUsedBy(crds, objects.map((o) => ({ ...o, metadata: { name: 'x' } }))).map((c) => c.metadata!.name);

  it('takes the CRD of each custom kind by group and kind, whatever the version', () => {
    expect(crds.length).toBeGreaterThan(30);
    expect(names([
      { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' },
      { apiVersion: 'apps/v1', kind: 'Deployment' },
    ]).sort()).toEqual(['destinationrules.networking.istio.io', 'prometheusrules.monitoring.coreos.com']);
  });

  it('takes none for built-in kinds, or a kind of another group', () => {
    expect(names([{ apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'example.com/v1', kind: 'DestinationRule' }])).toEqual([]);
  });
});
