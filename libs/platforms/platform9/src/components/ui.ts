/** React UI (seed, values replicaCount.ui, resources.ui, autoscaling.ui; PDB). */
import type { ComponentSpec } from '@gitops/core';
import { IMAGES, PORTS, SA } from '../constants';
import { PF9_POD_SECURITY, tmpVolume } from './security';
import { highlyAvailable } from './scaling';

export const ui: ComponentSpec = {
  name: 'pf9-ui',
  kind: 'Deployment',
  description: 'React UI served by the image command (vite) on 5173',
  image: IMAGES.ui,
  labels: { app: 'pf9-ui' },
  serviceAccount: SA.app,
  ports: [{ name: 'http', containerPort: PORTS.ui }],
  envFrom: [{ configMap: 'ui-config' }],
  probes: {
    liveness: { http: { path: '/', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10 },
    readiness: { http: { path: '/', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  podSecurityContext: PF9_POD_SECURITY,
  // vite writes its dependency cache and its bundled config under node_modules; the rest is read-only.
  volumes: [tmpVolume(), tmpVolume('/app/node_modules/.vite', 'vite-cache'), tmpVolume('/app/node_modules/.vite-temp', 'vite-temp')],
  settings: {
    default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    // HPA min 2 wins over replicaCount.ui 3 (decision 25).
    ...highlyAvailable({ autoscaling: { name: 'pf9-ui-hpa', min: 2, max: 5, cpu: 80 }, disruptionBudget: { name: 'pf9-ui-pdb', minAvailable: 1 } }),
  },
};
