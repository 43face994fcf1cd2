import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { diffObjects, formatDiff } from '../src';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'monitoring' } });
const byId = (objs: KubeObject[]) => new Map(objs.map((o) => [`${o.kind}/${o.metadata!.namespace ? o.metadata!.namespace + '/' : ''}${o.metadata!.name}`, o]));

describe('a removed Namespace', () => {
  it('is warned about in the diff (JSON field and Markdown): pruning it deletes everything in it', async () => {
    const d = await diffObjects('environments/dev/sevensa/monitoring', byId([ns('monitoring'), cm('a')]), byId([ns('sevensa-monitoring')]));
    expect(d.removed).toEqual(['Namespace/monitoring', 'ConfigMap/monitoring/a']);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings![0]).toMatch(/Namespace monitoring is removed: .*deletes everything in namespace monitoring.*Prune=false.*detach it first/);
    const text = formatDiff([d], 'HEAD');
    expect(text).toContain('**WARNING: a Namespace is removed in `environments/dev/sevensa/monitoring`');
    expect(text).toContain(`> **WARNING:** ${d.warnings![0]}`);
  });

  it('no warning when no Namespace goes', async () => {
    const d = await diffObjects('o', byId([ns('x'), cm('a')]), byId([ns('x')]));
    expect(d.warnings).toBeUndefined();
    expect(formatDiff([d], 'HEAD')).not.toContain('WARNING');
  });
});
