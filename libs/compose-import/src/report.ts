/** The import report: every compose field not carried over or changed, printed and in the new library's README. */
import type { ImportPlan, Note } from './plan';

/** How each compose field maps (the coverage table of both READMEs; a test keeps README.md in sync). */
export const COVERAGE: Array<[field: string, status: 'carried' | 'changed' | 'not carried', how: string]> = [
  ['image', 'carried', 'repository in the component, tag in releases.yaml per environment; `latest`/no tag → placeholder tag `latest` (warning; validate rejects it in prod)'],
  ['build', 'not carried', 'nothing to deploy: placeholder image `registry.example.invalid/<platform>/<service>` or `--image service=repo:tag`'],
  ['command / entrypoint', 'carried', '`args` / `command` (strings split like a shell)'],
  ['working_dir, user (numeric)', 'carried', '`workingDir`, `runAsUser`/`runAsGroup`; UID 0 is carried with `runAsNonRoot: false` so policy flags it; user names are not carried'],
  ['environment, env_file', 'carried', 'literal `env`; secret-looking variables → declared Secrets via `secretKeyRef` (values only in SOPS files)'],
  ['ports, expose', 'changed', 'container ports and ClusterIP Service ports; a published host port is a note (NodePort in dev with `--dev-node-ports`) plus a NetworkPolicy opening it'],
  ['healthcheck', 'carried', 'liveness + readiness probe: exec, or HTTP for a `curl`/`wget` of a local URL; interval, timeout, retries, start_period → period, timeout, failureThreshold, initialDelay'],
  ['deploy.replicas, scale', 'carried', 'replicas; prod runs at least 2 with a PodDisruptionBudget (policy)'],
  ['deploy.resources, cpus, mem_limit', 'carried', 'limits and requests; missing ones get documented defaults (policy requires both)'],
  ['restart', 'changed', '`"no"` services others wait for with `service_completed_successfully` → Job (PreSync or Sync hook); otherwise Kubernetes always restarts'],
  ['depends_on', 'carried', '`dependsOn` (sync waves); `service_healthy` → wait-for init containers; `service_completed_successfully` → the dependency is a Job hook'],
  ['stop_grace_period', 'carried', '`terminationGracePeriodSeconds`'],
  ['read_only, tmpfs', 'carried', '`readOnlyRootFilesystem`; emptyDir with medium Memory'],
  ['cap_add, cap_drop, privileged', 'carried', 'container security context, so policy flags them'],
  ['volumes (named)', 'changed', 'PVC per service (1Gi); databases with a data volume → StatefulSet with volumeClaimTemplates; shared by several services → one ReadWriteMany claim'],
  ['volumes (bind of a file/folder beside the compose file)', 'changed', 'ConfigMap with the content (files under `config/`), mounted read-only'],
  ['volumes (bind of a host path, Docker socket)', 'not carried', 'refused with an explanation'],
  ['secrets', 'carried', 'declared Secret, mounted at /run/secrets/<target>; value from the file/variable, SOPS-encrypted per environment'],
  ['configs', 'carried', 'ConfigMap mounted at the target'],
  ['profiles', 'carried', 'only services of the profiles chosen with `--profile` (and those without profiles)'],
  ['extends, x- fields, anchors, merge keys', 'carried', 'resolved while parsing, like compose'],
  ['networks, container_name, hostname, links, labels, logging, …', 'not carried', 'one namespace with NetworkPolicies; each dropped field is listed with its reason'],
];

export function coverageMarkdown(): string {
  return ['| compose field | result | how |', '| --- | --- | --- |', ...COVERAGE.map(([f, s, h]) => `| ${f} | ${s} | ${h.replace(/\|/g, '\\|')} |`)].join('\n');
}

const order: Record<Note['kind'], number> = { refused: 0, warning: 1, dropped: 2, changed: 3, added: 4 };

export function sortedNotes(notes: Note[]): Note[] {
  return [...notes].sort((a, b) => (a.service ?? '').localeCompare(b.service ?? '') || order[a.kind] - order[b.kind] || a.field.localeCompare(b.field));
}

/** The printed report (stderr in the CLI; stdout for --dry-run). */
export function reportText(plan: ImportPlan): string {
  const lines = [`import of ${plan.sources.join(', ')} as platform ${plan.platform}: ${plan.components.length} components, ${plan.secrets.length} secrets, ${plan.configMaps.length} ConfigMaps`];
  for (const n of sortedNotes(plan.notes)) lines.push(`  ${n.kind.padEnd(8)} ${n.service ? `${n.service}: ` : ''}${n.field}: ${n.message}`);
  return lines.join('\n') + '\n';
}

export function reportMarkdown(plan: ImportPlan): string {
  const rows = sortedNotes(plan.notes).map((n) => `| ${n.service ?? '(project)'} | \`${n.field}\` | ${n.kind} | ${n.message.replace(/\|/g, '\\|')} |`);
  const comps = plan.components.map((c) => `| ${c.service} | \`${c.spec.name}\` | ${c.spec.kind}${c.spec.hook ? ` (${c.spec.hook} hook)` : ''} | ${(c.spec.dependsOn ?? []).join(', ') || '–'} |`);
  return [
    `# ${plan.platform}`,
    '',
    `Imported from Docker Compose (${plan.sources.map((s) => `\`${s}\``).join(', ')}) by \`gitops import compose\`. The code in`,
    '`src/` is ordinary platform code now; edit it like any other platform.' +
      (plan.secrets.length
        ? ` Secrets are declared in\n\`src/secrets.ts\`; their values were written only encrypted, to \`environments/<env>/${plan.platform}/secrets/\`.`
        : ''),
    '',
    '## Components',
    '',
    '| compose service | component | kind | depends on |',
    '| --- | --- | --- | --- |',
    ...comps,
    '',
    '## Import report',
    '',
    'Every compose field that was not carried over or was changed, and why.',
    '',
    '| service | field | result | why |',
    '| --- | --- | --- | --- |',
    ...(rows.length ? rows : ['| – | – | – | nothing changed |']),
    '',
    '## Coverage',
    '',
    coverageMarkdown(),
    '',
  ].join('\n');
}
