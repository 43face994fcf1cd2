import { describe, expect, it } from 'vitest';
import { environments } from '@gitops/environments';
import { compileApp, nonRootPod, RESTRICTED_CONTAINER_SECURITY, restrictedContainer, scratchVolume, type PlatformSpec } from '../src';
import { samplePlatform } from './fixtures';

/** Every container of every workload in the compiled app, with its pod's security context. */
function containers(platform: PlatformSpec, env: keyof typeof environments) {
  const compiled = compileApp(platform, platform.apps[0], environments[env]);
  return compiled.groups.flatMap((g) => g.objects).flatMap((o: any) => {
    const pod = o.spec?.jobTemplate?.spec?.template?.spec ?? o.spec?.template?.spec;
    if (!pod) return [];
    return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => ({ workload: `${o.kind}/${o.metadata.name}`, name: c.name, security: c.securityContext, pod: pod.securityContext }));
  });
}

describe('the restricted container security context is the default in every environment', () => {
  it('gives dev and staging exactly what prod gets', () => {
    const prod = containers(samplePlatform(), 'prod');
    expect(prod.length).toBeGreaterThan(3);
    expect(environments.dev.podSecurity).not.toBe(environments.prod.podSecurity);
    for (const env of ['dev', 'staging'] as const) {
      expect(containers(samplePlatform(), env).map((c) => [c.workload, c.name, c.security, c.pod])).toEqual(prod.map((c) => [c.workload, c.name, c.security, c.pod]));
    }
  });

  it('passes Pod Security restricted: no escalation, ALL dropped, RuntimeDefault, non-root, read-only root', () => {
    for (const c of containers(samplePlatform(), 'dev')) {
      expect(c.security, `${c.workload} ${c.name}`).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.pod).toMatchObject({ seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  it('lets one container opt out field by field (the escape hatch), keeping the rest restricted', () => {
    const p = samplePlatform();
    const db = p.apps[0].components.find((c) => c.name === 'db')!;
    db.securityContext = { runAsNonRoot: false, runAsUser: 0, readOnlyRootFilesystem: false, capabilities: { add: ['CHOWN'] } };
    const c = containers(p, 'dev').find((x) => x.name === 'db')!;
    expect(c.security).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['CHOWN'] },
      readOnlyRootFilesystem: false,
      runAsNonRoot: false,
      runAsUser: 0,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // The other containers keep the default.
    expect(containers(p, 'dev').find((x) => x.name === 'api')!.security.readOnlyRootFilesystem).toBe(true);
  });

  it('hands out copies: a caller editing its context cannot change the default', () => {
    const mine = restrictedContainer({ readOnlyRootFilesystem: false });
    (mine.capabilities as { drop: string[] }).drop.push('NET_RAW');
    expect(RESTRICTED_CONTAINER_SECURITY.capabilities).toEqual({ drop: ['ALL'] });
    expect(restrictedContainer().readOnlyRootFilesystem).toBe(true);
  });
});

describe('non-root pod context', () => {
  it('uses the uid for group and fsGroup and skips the recursive chown by default', () => {
    expect(nonRootPod(1001)).toEqual({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, fsGroupChangePolicy: 'OnRootMismatch' });
  });
  it('takes a separate group, leaves the change policy out, or adds seccomp for pods built by hand', () => {
    expect(nonRootPod(999, { gid: 1000, fsGroupChangePolicy: false })).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(nonRootPod(70, { seccomp: true }).seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });
});

describe('scratch volumes', () => {
  it('give a read-only-root container a writable directory, in the main container unless told otherwise', () => {
    const p = samplePlatform();
    const api = p.apps[0].components.find((c) => c.name === 'api')!;
    api.volumes = [scratchVolume('tmp', '/tmp', { sizeLimit: '64Mi' }), scratchVolume('run', '/run', { medium: 'Memory', sizeLimit: '1Mi' })];
    const compiled = compileApp(p, p.apps[0], environments.prod);
    const pod = (compiled.groups.flatMap((g) => g.objects).find((o) => o.kind === 'Deployment') as any).spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'run', mountPath: '/run' }]);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(scratchVolume('x', '/x', { container: 'sidecar' }).mounts).toEqual([{ mountPath: '/x', container: 'sidecar' }]);
  });
});
