/**
 * Sevensa platform (seed 003_63b863817701fc66, the sevensa spec digest): the Docker
 * Compose services of one VPS moved to Kubernetes, one namespace per service domain (seed).
 * Each app is one module under ./apps; ./define.ts adds the generated Ingresses and NetworkPolicies.
 */
import { fileURLToPath } from 'node:url';
import { loadReleases, type PlatformSpec } from '@gitops/core';
import { assemble } from './define';
import type { SevensaApp } from './types';
import { rentguy } from './apps/rentguy';
import { psra } from './apps/psra';
import { wpcs } from './apps/wpcs';
import { ai } from './apps/ai';
import { infra } from './apps/infra';
import { monitoring } from './apps/monitoring';
import { logging } from './apps/logging';
import { ingress } from './apps/ingress';
import { backups } from './apps/backups';

/** In the seed's namespace-table order, then the Velero schedules. */
export const apps: SevensaApp[] = [rentguy, psra, wpcs, ai, infra, monitoring, logging, ingress, backups];

export const platform: PlatformSpec = {
  name: 'sevensa',
  description: 'Sevensa platform: RentGuy, PSRA-LTSD, WPCS, AI orchestration and their infrastructure',
  team: 'sevensa',
  releases: loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url))),
  apps: assemble(apps),
};
