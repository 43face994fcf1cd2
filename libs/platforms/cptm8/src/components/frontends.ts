/**
 * Front ends (seed): dashboardm8 on 3000 and socketm8 on 4000. Dev exposes them as
 * NodePorts 30080/30081 for Kind's extraPortMappings; staging and prod keep a
 * ClusterIP Service behind the Ingress (ingress.ts). Naming and probes: README D24.
 */
import type { ComponentSpec } from '@gitops/core';
import { APP_UID, ECR_PULL_SECRET, ecrImage, FRONTENDS, GO_SERVICES, plainLabels, runAs, serviceName, type Frontend } from '../constants';
import { statelessSettings } from '../profiles';
import { ECR_BOOTSTRAP_JOB } from './ecr-token-refresher';
import { ecrPullSecretSuppression, tmpVolume } from './common';

export function frontend(name: Frontend): ComponentSpec {
  const { port, nodePort } = FRONTENDS[name];
  return {
    name,
    kind: 'Deployment',
    description: `Front end ${name}`,
    image: ecrImage(name),
    imagePullSecrets: [ECR_PULL_SECRET],
    annotations: ecrPullSecretSuppression,
    ports: [{ name: 'http', containerPort: port }],
    // No health endpoint is documented for the front ends: a TCP check on the served port.
    probes: {
      readiness: { tcp: { port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
      liveness: { tcp: { port: 'http' }, initialDelaySeconds: 30, periodSeconds: 20 },
    },
    service: { name: serviceName(name) },
    podSecurityContext: runAs(APP_UID),
    labels: plainLabels(name, 'frontend'),
    dependsOn: [...GO_SERVICES, ECR_BOOTSTRAP_JOB],
    volumes: [tmpVolume()],
    settings: statelessSettings({ dev: { exposure: { type: 'NodePort', nodePorts: { http: nodePort } } } }),
  };
}

export const frontends: ComponentSpec[] = (Object.keys(FRONTENDS) as Frontend[]).map(frontend);
