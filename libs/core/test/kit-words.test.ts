import { describe, expect, it } from 'vitest';
import { parseSuppressions, SUPPRESS_ANNOTATION as VALIDATE_KEY } from '@gitops/validate';
import { environments } from '@gitops/environments';
import {
  compileApp, mebibytes, millicores, objectMeta, resourceLadder, resources, SUPPRESS_ANNOTATION, suppress, syncWave, waveOf, makeContext,
} from '../src';
import { samplePlatform } from './fixtures';

describe('annotations', () => {
  it('writes suppressions in the format the validator reads, under its key', () => {
    expect(SUPPRESS_ANNOTATION).toBe(VALIDATE_KEY);
    const a = suppress({ 'ha-replicas': 'one tailer by design', 'pss-host-path': 'reads node logs: read-only' });
    expect(Object.keys(a)).toEqual([SUPPRESS_ANNOTATION]);
    expect(parseSuppressions(a[SUPPRESS_ANNOTATION])).toEqual([
      { rule: 'ha-replicas', reason: 'one tailer by design' },
      { rule: 'pss-host-path', reason: 'reads node logs: read-only' },
    ]);
  });

  it('refuses a reason that would split into a second entry, or none at all', () => {
    expect(() => suppress({ 'ha-pdb': 'single; replica' })).toThrow(/"ha-pdb" contains ";"/);
    expect(() => suppress({ 'ha-pdb': 'line\nbreak' })).toThrow(/new line/);
    expect(() => suppress({ 'ha-pdb': ' ' })).toThrow(/"ha-pdb" has no reason/);
    expect(() => suppress({})).toThrow(/no rule/);
  });

  it('writes sync waves as the strings Argo CD reads', () => {
    expect(syncWave(-1)).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(() => syncWave(1.5)).toThrow(/integer/);
  });
});

describe('object metadata', () => {
  it('is what the compiler writes on its own objects', () => {
    const p = samplePlatform();
    const app = p.apps[0];
    const compiled = compileApp(p, app, environments.staging);
    const ctx = makeContext(p, app, environments.staging);
    const deployment = compiled.groups.flatMap((g) => g.objects).find((o) => o.kind === 'Deployment' && o.metadata?.name === 'api')!;
    expect(objectMeta(ctx, 'api', { component: 'api' })).toEqual(deployment.metadata);
    const cm = compiled.groups.find((g) => g.name === 'config')!.objects[0];
    expect(objectMeta(ctx, 'api-config')).toEqual(cm.metadata);
    expect(waveOf(ctx, 'api')).toBe(3);
    expect(() => objectMeta(ctx, 'x', { component: 'nope' })).toThrow(/no component "nope"/);
  });
});

describe('quantities and resource ladders', () => {
  it('converts CPU to millicores and memory to MiB without float noise', () => {
    expect([millicores('500m'), millicores('2'), millicores('0.15'), millicores('1.5')]).toEqual([500, 2000, 150, 1500]);
    expect([mebibytes('512Mi'), mebibytes('4Gi'), mebibytes('1Ti'), mebibytes('1024Ki')]).toEqual([512, 4096, 1048576, 1]);
    expect(() => millicores('lots')).toThrow(/"lots" is not a Kubernetes CPU quantity/);
    expect(() => mebibytes('2GB')).toThrow(/not a Kubernetes memory quantity/);
  });

  it('checks every rung of a ladder: a limit below its request is named by environment and field', () => {
    const ok = { dev: resources('100m', '128Mi', '500m', '512Mi'), staging: resources('200m', '256Mi', '500m', '512Mi'), prod: resources('1', '1Gi', '2', '2Gi') };
    expect(resourceLadder(ok)).toBe(ok);
    expect(() => resourceLadder({ ...ok, staging: resources('200m', '1Gi', '500m', '512Mi') })).toThrow('staging.limits.memory 512Mi is below staging.requests.memory 1Gi');
    expect(() => resourceLadder({ ...ok, prod: resources('2', '1Gi', '1500m', '2Gi') })).toThrow('prod.limits.cpu 1500m is below prod.requests.cpu 2');
    expect(() => resourceLadder({ ...ok, dev: resources('lots', '128Mi', '500m', '512Mi') })).toThrow('dev.requests.cpu "lots" is not a Kubernetes quantity');
  });
});
