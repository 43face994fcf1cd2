/**
 * OpenSearch (seed): 3-node StatefulSet `opensearch`, cluster `cptm8-cluster`,
 * governed by `opensearch-headless`; clients use `opensearch-service:9200` (services.ts).
 * Changes from the seed are README D10, D11, D36 (no privileged sysctl init container,
 * memory_lock off, security plugin off, config copied into an emptyDir).
 */
import type { ComponentSpec, ContainerSpec } from '@gitops/core';
import { IMAGES, OPENSEARCH, plainLabels, runAs } from '../constants';
import { INIT_RESOURCES, OPENSEARCH_RESOURCES } from '../profiles';
import { tmpVolume } from './common';

/** UID/GID of the `opensearch` user in the image. */
const OPENSEARCH_UID = 1000;
const HOME = '/usr/share/opensearch';
const INIT = 'copy-config';

const nodes = Array.from({ length: OPENSEARCH.replicas }, (_, i) => `${OPENSEARCH.component}-${i}`);

/**
 * OpenSearch writes its keystore and plugin state under config/ at start. To keep the root file
 * system read-only, the image's config directory is copied into an emptyDir first: the seed's
 * own emptyDir + copy pattern, applied to the image's files.
 */
const copyConfig: ContainerSpec = {
  name: INIT,
  ...IMAGES.opensearch,
  command: ['sh', '-c', `cp -R ${HOME}/config/. /config-writable/`],
  resources: INIT_RESOURCES,
};

export const opensearch: ComponentSpec = {
  name: OPENSEARCH.component,
  kind: 'StatefulSet',
  description: `OpenSearch ${IMAGES.opensearch.tag}, ${OPENSEARCH.replicas}-node cluster ${OPENSEARCH.cluster}`,
  ...IMAGES.opensearch,
  ports: [
    { name: 'http', containerPort: OPENSEARCH.port },
    { name: 'transport', containerPort: OPENSEARCH.transportPort },
  ],
  env: [
    { name: 'cluster.name', value: OPENSEARCH.cluster },
    { name: 'node.name', fieldPath: 'metadata.name' },
    { name: 'discovery.seed_hosts', value: nodes.map((n) => `${n}.${OPENSEARCH.stem}-headless`).join(',') },
    { name: 'cluster.initial_master_nodes', value: nodes.join(',') },
    // memlock cannot be raised from a pod spec; with `true` the bootstrap check stops the node.
    { name: 'bootstrap.memory_lock', value: 'false' },
    { name: 'OPENSEARCH_JAVA_OPTS', value: '-Xms512m -Xmx512m' },
    // Replaces the privileged `sysctl vm.max_map_count` init container (forbidden by baseline/restricted).
    { name: 'node.store.allow_mmap', value: 'false' },
    // Plain HTTP without credentials, as Vector and the seed's health checks use it (README D11).
    { name: 'DISABLE_SECURITY_PLUGIN', value: 'true' },
    { name: 'DISABLE_INSTALL_DEMO_CONFIG', value: 'true' },
    { name: 'DISABLE_PERFORMANCE_ANALYZER_AGENT_CLI', value: 'true' },
  ],
  initContainers: [copyConfig],
  // TCP, not _cluster/health: with OrderedReady, opensearch-0 must turn Ready before opensearch-1
  // starts, but the cluster (3 initial masters) only forms once a quorum is up.
  probes: {
    readiness: { tcp: { port: 'http' }, initialDelaySeconds: 20, periodSeconds: 10 },
    liveness: { tcp: { port: 'transport' }, initialDelaySeconds: 90, periodSeconds: 20, failureThreshold: 6 },
  },
  service: { name: OPENSEARCH.stem, client: false },
  podSecurityContext: runAs(OPENSEARCH_UID),
  labels: plainLabels(OPENSEARCH.component, 'logging'),
  terminationGracePeriodSeconds: 120,
  volumes: [
    { name: 'data', source: { persistent: { size: '10Gi', accessModes: ['ReadWriteOnce'] } }, mounts: [{ mountPath: `${HOME}/data` }] },
    { name: 'config', source: { emptyDir: {} }, mounts: [{ mountPath: `${HOME}/config` }, { mountPath: '/config-writable', container: INIT }] },
    tmpVolume(`${HOME}/logs`, 'logs'),
    tmpVolume(),
  ],
  settings: {
    default: { replicas: OPENSEARCH.replicas, resources: OPENSEARCH_RESOURCES, storage: { data: { size: '10Gi', storage: 'standard' } } },
    staging: { storage: { data: { size: '20Gi' } }, disruptionBudget: { maxUnavailable: 1 } },
    prod: { storage: { data: { size: '50Gi', storage: 'fast' } }, disruptionBudget: { maxUnavailable: 1 }, spread: 'zone' },
  },
};
