/**
 * Client Services of the StatefulSets. The seed names the pair `<stem>-headless` + `<stem>-service`
 * (postgresql-headless / postgresql-service); the compiler makes `<stem>-headless` (the
 * governing Service) and would call the client `<stem>`, so components set `client: false` and the
 * client Service is built here (README W3: a client Service name in the model).
 */
import { Service } from 'kubernetes-models/v1/Service';
import { LABELS, objectMeta, type CompileContext } from '@gitops/core';
import { MONGODB, OPENSEARCH, POSTGRES, RABBITMQ } from './constants';

interface ClientService {
  component: string;
  name: string;
  /** Port names of the component to publish (targetPort by name, like the compiler). */
  ports: Array<{ name: string; port: number }>;
}

export const CLIENT_SERVICES: ClientService[] = [
  { component: POSTGRES.component, name: POSTGRES.client, ports: [{ name: 'postgresql', port: POSTGRES.port }] },
  { component: MONGODB.component, name: MONGODB.client, ports: [{ name: 'mongodb', port: MONGODB.port }] },
  {
    component: RABBITMQ.component,
    name: RABBITMQ.client,
    ports: [
      { name: 'amqp', port: RABBITMQ.port },
      { name: 'management', port: RABBITMQ.managementPort },
    ],
  },
  // Vector and the runbook use http://opensearch-service:9200; transport stays on the headless Service.
  { component: OPENSEARCH.component, name: OPENSEARCH.client, ports: [{ name: 'http', port: OPENSEARCH.port }] },
];

export function clientServices(ctx: CompileContext): Service[] {
  return CLIENT_SERVICES.map(
    (s) =>
      new Service({
        metadata: objectMeta(ctx, s.name, { component: s.component }),
        spec: {
          type: 'ClusterIP',
          selector: { [LABELS.name]: s.component },
          ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' })),
        },
      }),
  );
}
