import type { PlatformSpec } from '../src';

/** A small valid platform used by the unit tests; each test breaks one thing. */
export function samplePlatform(): PlatformSpec {
  return {
    name: 'sample',
    description: 'unit-test platform',
    releases: { 'registry.example/sample/api': { dev: '1.0.0', staging: '1.0.0', prod: '0.9.0' } },
    apps: [
      {
        name: 'sample',
        namespace: { default: 'sample-dev', prod: 'sample-prod' },
        configMaps: [{ name: 'api-config', data: { LOG_LEVEL: 'info' } }],
        secrets: [{ name: 'db-credentials', keys: [{ name: 'password', generate: { kind: 'password' } }] }],
        components: [
          {
            name: 'db',
            kind: 'StatefulSet',
            image: 'postgres',
            tag: '16-alpine',
            ports: [{ name: 'postgres', containerPort: 5432 }],
            env: [{ name: 'POSTGRES_PASSWORD', secret: 'db-credentials', key: 'password' }],
            volumes: [{ name: 'data', source: { persistent: { size: '1Gi' } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] }],
            settings: { default: { replicas: 1 }, prod: { storage: { data: { size: '50Gi', storage: 'fast' } } } },
          },
          {
            name: 'api',
            kind: 'Deployment',
            image: 'registry.example/sample/api',
            ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
            env: [{ name: 'LOG_LEVEL', configMap: 'api-config', key: 'LOG_LEVEL' }],
            dependsOn: ['db'],
            waitForDependencies: true,
            probes: { readiness: { http: { path: '/ready', port: 'http' } } },
            settings: { default: { replicas: 1 }, prod: { replicas: 3, disruptionBudget: { minAvailable: 2 } } },
          },
          {
            name: 'cleanup',
            kind: 'CronJob',
            image: 'busybox',
            tag: '1.36.1',
            schedule: '0 3 * * *',
            dependsOn: ['api'],
            settings: { default: {} },
          },
        ],
      },
    ],
  };
}
