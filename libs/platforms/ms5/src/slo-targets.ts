/** The seed's SLOs, as numbers every other module reads. */
export const SLO = {
  /** 99.9 % availability over the window. */
  availability: 0.999,
  /** API p95 latency under 200 ms. */
  apiLatencyP95Seconds: 0.2,
  /** Error rate under 1 %. */
  errorRate: 0.01,
  /** Database query p95 under 100 ms. */
  dbLatencyP95Seconds: 0.1,
  /** Auto-scaling response under 30 s (met by the HPA behaviour, not a PromQL rule). */
  autoscalingResponseSeconds: 30,
  /** SLO window (not in the seed: the usual 30 days). */
  window: '30d',
} as const;
