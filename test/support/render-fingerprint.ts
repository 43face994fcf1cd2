/**
 * Fingerprints of every rendered object, for the render-equivalence test. Besides a hash of the whole
 * object, each print keeps a hash of the object without the parts issue 16 allows to change, and
 * those parts themselves (security contexts, NetworkPolicy ipBlocks, suppression reasons) so the test
 * can say how they changed. Secret values are never hashed (only their keys): the fixture is committed.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '@gitops/core';

/** The validate suppression annotation (libs/validate SUPPRESS_ANNOTATION); its reasons lost seed line refs. */
export const SUPPRESS = 'gitops.io/suppress';

export interface ObjectPrint {
  full: string;
  /** Hash without security contexts, ipBlocks and suppression reasons. */
  core: string;
  /** Container (or `pod`) -> securityContext, for workloads. */
  security?: Record<string, unknown>;
  /** Every ipBlock of a NetworkPolicy, in order. */
  ipBlocks?: unknown[];
  /** Suppression annotation values by where they sit (`metadata`, `template`). */
  suppress?: Record<string, string>;
}

/** JSON with object keys sorted, so the hash does not depend on key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** The pod template (metadata + spec) inside a workload, or the Pod itself. */
function templateOf(o: any): any | undefined {
  return o?.spec?.jobTemplate?.spec?.template ?? o?.spec?.template ?? (o?.kind === 'Pod' ? o : undefined);
}

export function podSpecOf(o: any): any | undefined {
  return templateOf(o)?.spec;
}

function secretSafe(o: KubeObject): any {
  const s: any = structuredClone(o);
  if (o.kind === 'Secret') for (const field of ['data', 'stringData']) if (s[field]) s[field] = Object.keys(s[field]).sort();
  return s;
}

/** Removes the allowed parts from `copy` and returns them. */
function takeAllowed(copy: any): Omit<ObjectPrint, 'full' | 'core'> {
  const out: Omit<ObjectPrint, 'full' | 'core'> = {};
  const pod = podSpecOf(copy);
  if (pod) {
    const security: Record<string, unknown> = { pod: pod.securityContext ?? null };
    delete pod.securityContext;
    for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
      security[c.name] = c.securityContext ?? null;
      delete c.securityContext;
    }
    out.security = security;
  }
  if (copy.kind === 'NetworkPolicy') {
    const blocks: unknown[] = [];
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of copy.spec?.[dir] ?? []) {
        for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
          if (peer.ipBlock) {
            blocks.push(peer.ipBlock);
            peer.ipBlock = 'ipBlock';
          }
        }
      }
    }
    if (blocks.length) out.ipBlocks = blocks;
  }
  const suppress: Record<string, string> = {};
  for (const [where, meta] of [['metadata', copy.metadata], ['template', templateOf(copy)?.metadata]] as const) {
    if (meta?.annotations?.[SUPPRESS] !== undefined) {
      suppress[where] = meta.annotations[SUPPRESS];
      meta.annotations[SUPPRESS] = 'suppress';
    }
  }
  if (Object.keys(suppress).length) out.suppress = suppress;
  return out;
}

export function fingerprint(o: KubeObject): ObjectPrint {
  const safe = secretSafe(o);
  const full = sha(canonical(safe));
  const allowed = takeAllowed(safe);
  return { full, core: sha(canonical(safe)), ...allowed };
}

export const objectKey = (overlay: string, o: KubeObject): string =>
  `${overlay} ${o.apiVersion}/${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;
