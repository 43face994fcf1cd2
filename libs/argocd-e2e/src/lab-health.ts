/**
 * Health in a cluster without nodes (and without the controllers the platforms rely on). Argo CD applies a sync wave only after every object of the
 * previous wave is Healthy, and a running operation blocks the next automated sync. Here nothing
 * can become Healthy that needs a kubelet (Pods run, replicas become available, Jobs complete), a
 * volume provisioner (claims bind) or an ingress controller (addresses appear), so the first wave
 * with such an object would wait forever and every later wave would never be applied.
 *
 * What each kind reports here without help (Argo CD v3.5.1, gitops-engine pkg/health and the
 * built-in Lua checks), which is why these kinds are listed:
 *
 * | kind | health here | why |
 * |---|---|---|
 * | PersistentVolumeClaim | Progressing (Pending) | no provisioner binds it |
 * | Deployment, StatefulSet, DaemonSet, ReplicaSet | Progressing ("Waiting for rollout to finish") | no Pod ever becomes ready (kube-controller-manager creates ReplicaSets and Pods, which stay Pending) |
 * | Job | Progressing | its Pod never runs |
 * | Pod | Progressing (Pending) | no scheduler/kubelet |
 * | Ingress | Progressing | no controller writes status.loadBalancer |
 * | HorizontalPodAutoscaler | Degraded/Progressing | no metrics for its target |
 * | PodDisruptionBudget | Degraded/Progressing | no healthy Pods |
 * | Service of type LoadBalancer | Progressing | no load balancer assigns an address (ClusterIP Services are Healthy either way) |
 * | cert-manager ClusterIssuer, Issuer, Certificate | Progressing (built-in Lua check waits for Ready) | no cert-manager controller |
 * | everything else the platforms emit (ConfigMap, Secret, NetworkPolicy, RBAC, Namespace, CronJob, Traefik/Prometheus/Velero objects) | Healthy or no health | nothing to wait for |
 *
 * The end-to-end setup therefore adds Argo CD's documented health customization
 * (`resource.customizations.health.<group_kind>` in argocd-cm, a Lua script) for exactly these kinds,
 * reporting Healthy with a message that says why. Everything else — manifests, KSOPS, diff, sync
 * order by wave, sync status, automation, errors — is Argo CD's own behaviour.
 */
import { ARGOCD_NAMESPACE } from '@gitops/argocd';
import type { KubeObject } from '@gitops/core';

/** `<group>_<Kind>` as argocd-cm spells it (`Kind` alone for the core group). */
export const NODE_DEPENDENT_KINDS = [
  'PersistentVolumeClaim',
  'Pod',
  'apps_Deployment',
  'apps_StatefulSet',
  'apps_DaemonSet',
  'apps_ReplicaSet',
  'batch_Job',
  'networking.k8s.io_Ingress',
  'autoscaling_HorizontalPodAutoscaler',
  'policy_PodDisruptionBudget',
  'Service',
  'cert-manager.io_ClusterIssuer',
  'cert-manager.io_Issuer',
  'cert-manager.io_Certificate',
] as const;

export const LAB_HEALTH_FIELD_MANAGER = 'gitops-e2e-lab-health';

export const LAB_HEALTH_MESSAGE = 'gitops e2e: no nodes in this cluster, reported Healthy once accepted by the API server';

const LUA = `hs = {}\nhs.status = "Healthy"\nhs.message = "${LAB_HEALTH_MESSAGE}"\nreturn hs\n`;

/** The argocd-cm keys the end-to-end setup adds (applied with its own field manager, merged into the generated argocd-cm). */
export function labHealthConfigMap(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE },
    data: Object.fromEntries(NODE_DEPENDENT_KINDS.map((k) => [`resource.customizations.health.${k}`, LUA])),
  } as KubeObject;
}
