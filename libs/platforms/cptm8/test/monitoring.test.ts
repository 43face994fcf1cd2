/**
 * The cluster's shared Prometheus (kube-prometheus-stack) ignores `prometheus.io/*` annotations: every
 * pod annotated for scraping must be selected by a PodMonitor or ServiceMonitor that Prometheus
 * selects (MONITORING's label), on the annotated port and path, and the NetworkPolicy admits it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { MONITORING } from '@gitops/environments';
import { ENVS, isWorkload, podTemplate } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(ENVS)('scraping in %s', (env) => {
  it('every pod annotated for scraping is scraped by a PodMonitor the shared Prometheus selects, on its port and path', () => {
    const annotated = r.objects(env).filter((o: any) => isWorkload(o) && podTemplate(o).metadata?.annotations?.['prometheus.io/scrape'] === 'true');
    const monitors = r.objects(env).filter((o: any) => o.kind === 'PodMonitor' && matches(MONITORING.selectorLabels, o.metadata.labels));
    expect(monitors.length > 0).toBe(annotated.length > 0);
    for (const w of annotated as any[]) {
      const t = podTemplate(w);
      const port = t.spec.containers.flatMap((c: any) => c.ports ?? []).find((p: any) => String(p.containerPort) === t.metadata.annotations['prometheus.io/port']);
      const m: any = monitors.find((x: any) => matches(x.spec.selector.matchLabels, t.metadata.labels));
      expect(m, `${w.metadata.name}: no PodMonitor selects it`).toBeDefined();
      expect(m.spec.podMetricsEndpoints).toContainEqual(expect.objectContaining({ port: port?.name, path: t.metadata.annotations['prometheus.io/path'] }));
    }
    if (env !== 'dev') expect(annotated).toHaveLength(6);
  });
});
