/**
 * Scaling shared by the HA Deployments. Staging and prod carry the chart's production values
 * (values.yaml is production-oriented,; there is no values-staging.yaml); dev runs one
 * replica without HPA or PDB on a single-node Kind cluster (decision 24).
 *
 * Settings deep-merge and `undefined` never unsets, so the HA knobs are added per environment
 * rather than removed from dev.
 */
import type { ComponentSettings } from '@gitops/core';

/** The same settings for staging and prod. */
export const highlyAvailable = (s: ComponentSettings): { staging: ComponentSettings; prod: ComponentSettings } => ({
  // Seed: spread replicas over nodes and zones.
  staging: { spread: 'zone', ...s },
  prod: { spread: 'zone', ...s },
});
