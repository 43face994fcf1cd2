/**
 * Maps a loaded compose project onto core's platform model: one component per service, with the
 * decisions listed in README.md ("Mapping"). Every field that is not carried over or is changed
 * leaves a Note; secret values go to `secretValues`, never into the spec.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ComponentSpec, EnvVarSpec, PortSpec, ProbeSpec, Resources, SecretDecl, SharedVolumeSpec, VolumeSpec } from '@gitops/core';
import { UserError } from '@gitops/core';
import { parseDotenv } from '@gitops/secrets-workflow';
import type { LoadedCompose } from './load';
import { dependsOnMap, splitVolume, toMap } from './merge';
import type { ImportPlan, Note, PlannedComponent, PlannedConfigMap } from './plan';
import { secretRule } from './secret-rules';
import { cpuQuantity, durationSeconds, memoryQuantity, quantityBytes, shellSplit } from './units';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface MapOptions {
  platform: string;
  /** service -> image reference that replaces the compose image (for build: or unpinned images). */
  images?: Record<string, string>;
  devNodePorts?: boolean;
  shellEnv?: Record<string, string | undefined>;
}

/** Tag used for images compose left unpinned; validate rejects it in prod and warns elsewhere. */
export const UNPINNED_TAG = 'latest';
export const BUILD_REGISTRY = 'registry.example.invalid';
export const DEFAULT_RESOURCES: Required<Resources> = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
export const DEFAULT_VOLUME_SIZE = '1Gi';
const CONFIG_DIR_LIMIT = 1024 * 1024;

/** Images that hold state: with a named volume they become StatefulSets. */
const DATABASE_IMAGE = /(^|\/)(postgres|postgis|mysql|mariadb|mongo|mongodb|redis|valkey|keydb|elasticsearch|opensearch|cassandra|influxdb|clickhouse|couchdb|neo4j|rabbitmq|zookeeper|kafka|etcd|minio|timescaledb|cockroach|nats|memcached)([-:/]|$)/i;

/** Ports of well-known images, used when compose declares none (services reach each other on them). */
const KNOWN_PORTS: Array<[RegExp, number[]]> = [
  [/(^|\/)(postgres|postgis|timescaledb)\b/i, [5432]],
  [/(^|\/)(mysql|mariadb)\b/i, [3306]],
  [/(^|\/)(redis|valkey|keydb)\b/i, [6379]],
  [/(^|\/)mongo(db)?\b/i, [27017]],
  [/(^|\/)memcached\b/i, [11211]],
  [/(^|\/)rabbitmq\b/i, [5672]],
  [/(^|\/)(elasticsearch|opensearch)\b/i, [9200]],
  [/(^|\/)nginx(inc\/nginx-unprivileged)?\b/i, [80]],
];

const PORT_NAMES: Record<number, string> = {
  80: 'http', 443: 'https', 8080: 'http', 8443: 'https', 3000: 'http', 5000: 'http', 8000: 'http',
  5432: 'postgres', 3306: 'mysql', 6379: 'redis', 27017: 'mongodb', 11211: 'memcached', 5672: 'amqp',
  9200: 'http', 9090: 'http', 5555: 'http', 33060: 'mysqlx', 8974: 'health',
};

export const dnsName = (s: string): string =>
  s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').replace(/-{2,}/g, '-').slice(0, 52) || 'x';

export const camel = (s: string): string => {
  const c = s.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')).replace(/^[A-Z]/, (x) => x.toLowerCase());
  return /^[0-9]/.test(c) ? `svc${c}` : RESERVED.has(c) ? `${c}Service` : c;
};
const RESERVED = new Set(['default', 'import', 'export', 'new', 'delete', 'class', 'function', 'var', 'let', 'const', 'in', 'for', 'switch', 'case', 'return', 'this', 'platform', 'secrets', 'volumes', 'releases', 'configMaps']);

/** repo[:tag][@digest] → parts. */
export function parseImage(ref: string): { repo: string; tag?: string; digest?: string } {
  const [nameTag, digest] = ref.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  if (colon > slash) return { repo: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest };
  return { repo: nameTag, digest };
}

export function mapCompose(c: LoadedCompose, opts: MapOptions): ImportPlan {
  const notes: Note[] = [];
  const note = (service: string | undefined, field: string, kind: Note['kind'], message: string) => notes.push({ service, field, kind, message });
  const serviceNames = Object.keys(c.services);
  const componentName = new Map<string, string>();
  for (const s of serviceNames) {
    const n = dnsName(s);
    const clash = [...componentName.entries()].find(([, v]) => v === n);
    if (clash) throw new UserError(`${c.serviceFile[s]}: service "${s}": its Kubernetes name "${n}" is also that of service "${clash[0]}"; rename one`, 2);
    if (n !== s) note(s, '(name)', 'changed', `component is named "${n}" (Kubernetes names are lower-case DNS labels)`);
    componentName.set(s, n);
  }
  for (const s of Object.keys(opts.images ?? {})) {
    if (!c.services[s]) throw new UserError(`--image ${s}=…: no service "${s}" (services: ${serviceNames.join(', ')})`, 2);
  }
  for (const [s, profiles] of Object.entries(c.skippedByProfile)) note(s, 'profiles', 'dropped', `not imported: only in profile ${profiles.join(', ')} (select with --profile)`);
  for (const x of c.extensions) note(undefined, x, 'dropped', 'extension field: used through YAML anchors, nothing of its own to carry');
  for (const [n] of Object.entries(c.networks)) note(undefined, `networks.${n}`, 'dropped', 'one namespace per platform: every service reaches every other (NetworkPolicy allow-same-namespace), as on a compose network');

  // Who waits for whom, and how.
  const deps = new Map(serviceNames.map((s) => [s, dependsOnMap(c.services[s].depends_on)]));
  const completedBy = new Set<string>();
  for (const [, d] of deps) for (const [dep, v] of Object.entries(d)) if (v.condition === 'service_completed_successfully') completedBy.add(dep);

  // Named volumes used by more than one service become shared claims.
  // Bind mounts of folders that hold data (not config files) count as volumes, keyed by their path.
  const volumeUsers = new Map<string, string[]>();
  for (const s of serviceNames) {
    for (const v of volumesOf(c.services[s])) {
      const key = v.type === 'volume' && v.source ? v.source : isDataBind(c.dir, v) ? v.source! : undefined;
      if (key) volumeUsers.set(key, [...(volumeUsers.get(key) ?? []), s]);
    }
  }
  const sharedVolumes: SharedVolumeSpec[] = [];
  for (const [vol, users] of volumeUsers) {
    if (new Set(users).size > 1) {
      sharedVolumes.push({ name: dnsName(vol), storage: 'shared', size: DEFAULT_VOLUME_SIZE, accessModes: ['ReadWriteMany'] });
      note(undefined, vol.startsWith('.') ? `volumes (bind ${vol})` : `volumes.${vol}`, 'changed', `shared by ${[...new Set(users)].join(', ')}: one ReadWriteMany claim on the "shared" storage class, ${DEFAULT_VOLUME_SIZE} (compose has no size)`);
    }
  }
  for (const [vol, def] of Object.entries(c.volumes)) {
    if (def.driver && def.driver !== 'local') note(undefined, `volumes.${vol}.driver`, 'dropped', `volume driver "${def.driver}": the environment's storage class decides`);
    if (def.external) note(undefined, `volumes.${vol}.external`, 'changed', 'external volume: the import creates a claim; bind it to existing data by hand');
  }

  const configMaps = new Map<string, PlannedConfigMap>();
  const configMapBySource = new Map<string, string>();
  const secretValues = new Map<string, Map<string, string>>();
  const secretDecls = new Map<string, SecretDecl>();
  const releases: Record<string, string> = {};
  const components: PlannedComponent[] = [];
  // Secret-looking env vars: (name, value) -> services, grouped later into shared Secrets.
  const envSecretUse = new Map<string, { name: string; value: string; services: string[]; rule: string }>();
  const envSecretRefs = new Map<string, Array<{ index: number; pairKey: string }>>();

  for (const s of serviceNames) {
    const def = c.services[s];
    const name = componentName.get(s)!;
    const n = (field: string, kind: Note['kind'], message: string) => note(s, field, kind, message);
    const spec: Partial<ComponentSpec> & { name: string } = { name };
    const at = (field: string) => `${c.serviceFile[s]}: service "${s}", field "${field}"`;
    const guard = <T>(field: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`${at(field)}: ${(e as Error).message}`, 2);
      }
    };

    // ---- kind and order
    const oneShot = completedBy.has(s);
    const dependsOn = Object.keys(deps.get(s) ?? {});
    const depConds = deps.get(s) ?? {};
    let kind: ComponentSpec['kind'] = 'Deployment';
    if (oneShot) {
      kind = 'Job';
      n('restart', 'changed', `others wait for it to complete (service_completed_successfully): a Job, run as an Argo CD ${dependsOn.length ? 'Sync hook in its wave (after its dependencies)' : 'PreSync hook'}`);
    }

    // ---- image
    let imageRef: string | undefined = opts.images?.[s] ?? (typeof def.image === 'string' ? def.image : undefined);
    if (def.build !== undefined) {
      if (opts.images?.[s]) n('build', 'changed', `build: not carried; deploys ${opts.images[s]} (--image)`);
      else if (def.image) n('build', 'dropped', `build: not carried; deploys the image "${def.image}" it names, which CI must push`);
      else n('build', 'dropped', `build: nothing to deploy; placeholder image ${BUILD_REGISTRY}/${opts.platform}/${name} (pass --image ${s}=<repo:tag> or edit the component and releases.yaml)`);
    }
    if (!imageRef) imageRef = `${BUILD_REGISTRY}/${opts.platform}/${name}`;
    const img = parseImage(imageRef);
    spec.image = img.repo;
    if (img.digest) n('image', 'changed', `digest ${img.digest} not carried (the model pins by tag); pin a tag in releases.yaml`);
    if (!img.tag || img.tag === 'latest') {
      spec.tag = UNPINNED_TAG;
      n('image', 'warning', `${img.tag ? 'tag "latest"' : 'no tag'}: placeholder tag "${UNPINNED_TAG}" that validate rejects in prod; pin a version (releases.yaml) or pass --image ${s}=${img.repo}:<tag>`);
    } else if (releases[img.repo] && releases[img.repo] !== img.tag) {
      spec.tag = img.tag;
      n('image', 'changed', `${img.repo} is also used with tag ${releases[img.repo]}; this service pins ${img.tag} in its component`);
    } else {
      releases[img.repo] = img.tag;
    }

    // ---- command
    if (def.entrypoint !== undefined && def.entrypoint !== null) spec.command = guard('entrypoint', () => words(def.entrypoint));
    if (def.command !== undefined && def.command !== null) spec.args = guard('command', () => words(def.command));
    if (typeof def.working_dir === 'string') spec.workingDir = def.working_dir;

    // ---- ports
    const ports: PortSpec[] = [];
    const published: number[] = [];
    const addPort = (containerPort: number, protocol: 'TCP' | 'UDP', why?: string) => {
      if (ports.some((p) => p.containerPort === containerPort && (p.protocol ?? 'TCP') === protocol)) return;
      let pname = PORT_NAMES[containerPort] ?? `${protocol.toLowerCase()}-${containerPort}`;
      if (protocol === 'UDP' && PORT_NAMES[containerPort]) pname = `udp-${containerPort}`;
      if (ports.some((p) => p.name === pname)) pname = `${protocol.toLowerCase()}-${containerPort}`;
      ports.push({ name: pname, containerPort, ...(protocol === 'UDP' ? { protocol } : {}) });
      if (why) n('ports', 'added', why);
    };
    for (const [i, p] of (Array.isArray(def.ports) ? def.ports : []).entries()) {
      const parsed = guard(`ports[${i}]`, () => parsePort(p));
      for (const target of parsed.targets) {
        addPort(target, parsed.protocol);
        if (parsed.published) {
          published.push(target);
          n(`ports[${i}]`, 'changed', `host port ${parsed.published} → container port ${target}: a ClusterIP Service port, not a NodePort${opts.devNodePorts ? ' (a NodePort in dev: --dev-node-ports)' : ''}; publish it through an Ingress`);
        }
      }
      if (parsed.hostIp) n(`ports[${i}]`, 'dropped', `host IP ${parsed.hostIp}: no equivalent for a cluster Service`);
    }
    for (const [i, e] of (Array.isArray(def.expose) ? def.expose : []).entries()) {
      const parsed = guard(`expose[${i}]`, () => parsePort(String(e)));
      for (const t of parsed.targets) addPort(t, parsed.protocol);
    }

    // ---- healthcheck → probes
    const hc = isObj(def.healthcheck) ? def.healthcheck : undefined;
    let probe: ProbeSpec | undefined;
    if (hc && !hc.disable && !(Array.isArray(hc.test) && hc.test[0] === 'NONE')) {
      if (hc.test === undefined) n('healthcheck', 'dropped', 'healthcheck without test (the image\'s HEALTHCHECK is not visible here)');
      else {
        const cmd = guard('healthcheck.test', () => healthCommand(hc.test));
        const http = httpCheck(cmd);
        const timing = guard('healthcheck', () => ({
          periodSeconds: durationSeconds(hc.interval) ?? 30,
          timeoutSeconds: durationSeconds(hc.timeout) ?? 30,
          failureThreshold: typeof hc.retries === 'number' ? hc.retries : 3,
          ...(hc.start_period !== undefined ? { initialDelaySeconds: durationSeconds(hc.start_period) } : {}),
        }));
        if (http) {
          if (!ports.some((p) => p.containerPort === http.port)) addPort(http.port, 'TCP', `container port ${http.port}, from the healthcheck URL`);
          const pn = ports.find((p) => p.containerPort === http.port)!.name;
          probe = { http: { path: http.path, port: pn, ...(http.https ? { scheme: 'HTTPS' as const } : {}) }, ...timing };
          n('healthcheck.test', 'changed', `${http.tool} of a local URL: an HTTP probe of ${http.path} on port ${http.port}`);
        } else {
          probe = { exec: cmd, ...timing };
        }
        if (hc.start_interval !== undefined) n('healthcheck.start_interval', 'dropped', 'no Kubernetes equivalent (probes have one period)');
      }
    } else if (hc) n('healthcheck', 'dropped', 'healthcheck disabled in compose');
    if (!ports.length && kind !== 'Job') {
      const known = KNOWN_PORTS.find(([re]) => re.test(img.repo));
      if (known) for (const p of known[1]) addPort(p, 'TCP', `container port ${p}: compose declares none, and ${img.repo} listens there (other services connect to it)`);
    }
    if (ports.length) spec.ports = ports;
    if (kind !== 'Job') {
      if (!probe && ports.length) {
        probe = { tcp: { port: ports[0].name }, periodSeconds: 10 };
        n('healthcheck', 'added', `no healthcheck: a TCP probe of port ${ports[0].containerPort}`);
      }
      if (probe) spec.probes = { liveness: probe, readiness: probe };
      else n('healthcheck', 'warning', 'no healthcheck and no port: no probes (suppressed for policy with this reason; add one)');
    } else if (probe) n('healthcheck', 'dropped', 'a Job has no probes');

    // ---- environment (env_file, then environment) and secrets
    const envVars = new Map<string, { value: string | null }>();
    for (const f of envFiles(def.env_file)) {
      const abs = isAbsolute(f.path) ? f.path : resolve(c.dir, f.path);
      if (!existsSync(abs)) {
        if (f.required) throw new UserError(`${at('env_file')}: ${f.path} does not exist`, 2);
        n('env_file', 'dropped', `${f.path} does not exist (required: false)`);
        continue;
      }
      const entries = guard('env_file', () => parseDotenv(readFileSync(abs, 'utf8'), f.path));
      for (const [k, v] of entries) envVars.set(k, { value: v });
    }
    for (const [k, v] of Object.entries(toMap(def.environment))) envVars.set(k, { value: v });
    const env: EnvVarSpec[] = [];
    for (const [k, { value }] of envVars) {
      let v = value;
      if (v === null) {
        v = opts.shellEnv?.[k] ?? c.envFileVariables[k] ?? null;
        if (v === null) {
          n(`environment.${k}`, 'dropped', 'no value in compose, the env file or the shell');
          continue;
        }
      }
      const rule = secretRule(k, v);
      if (rule) {
        const pairKey = JSON.stringify([k, v]);
        const use = envSecretUse.get(pairKey) ?? { name: k, value: v, services: [], rule };
        use.services.push(s);
        envSecretUse.set(pairKey, use);
        envSecretRefs.set(s, [...(envSecretRefs.get(s) ?? []), { index: env.length, pairKey }]);
        env.push({ name: k, secret: '', key: k }); // secret name filled in below, once grouped
      } else env.push({ name: k, value: v });
    }
    if (env.length) spec.env = env;

    // ---- volumes, binds, tmpfs, secrets, configs
    const volumes: VolumeSpec[] = [];
    const hasOwnClaim: string[] = [];
    const isDatabase = DATABASE_IMAGE.test(img.repo);
    for (const [i, v] of volumesOf(def).entries()) {
      const field = `volumes[${i}]`;
      if (v.type === 'volume' && v.source) {
        const vname = dnsName(v.source);
        const shared = sharedVolumes.find((x) => x.name === vname);
        if (shared) volumes.push({ name: vname, source: { claim: vname }, mounts: [{ mountPath: v.target, ...(v.readOnly ? { readOnly: true } : {}) }] });
        else {
          volumes.push({ name: vname, source: { persistent: { storage: 'standard', size: DEFAULT_VOLUME_SIZE } }, mounts: [{ mountPath: v.target, ...(v.readOnly ? { readOnly: true } : {}) }] });
          hasOwnClaim.push(v.source);
        }
      } else if (v.type === 'volume' || (v.type === 'bind' && !v.source)) {
        volumes.push({ name: uniqueVolName(volumes, 'scratch'), source: { emptyDir: {} }, mounts: [{ mountPath: v.target }] });
        n(field, 'changed', `anonymous volume at ${v.target}: an emptyDir (lives as long as the pod)`);
      } else if (v.type === 'tmpfs') {
        volumes.push({ name: uniqueVolName(volumes, 'tmpfs'), source: { emptyDir: { medium: 'Memory' } }, mounts: [{ mountPath: v.target }] });
      } else if (v.type === 'bind') {
        const src = v.source!;
        if (isAbsolute(src) || src.startsWith('~') || !/^\.{1,2}([\\/]|$)/.test(src)) {
          n(field, 'refused', hostPathReason(src, v.target));
          continue;
        }
        const abs = resolve(c.dir, src);
        const shared = sharedVolumes.find((x) => x.name === dnsName(src));
        if (shared && isDataBind(c.dir, v)) {
          volumes.push({ name: uniqueVolName(volumes, shared.name), source: { claim: shared.name }, mounts: [{ mountPath: v.target, ...(v.readOnly ? { readOnly: true } : {}) }] });
          n(field, 'changed', `bind mount ${src} (${bindClass(abs).why}): shared claim ${shared.name}, starting empty`);
          continue;
        }
        const cm = guard(field, () => bindToConfigMap(abs, src, name, configMaps, configMapBySource));
        if (cm.kind === 'configmap') {
          // Named after the mounted file or folder, so services mounting the same one read alike.
          const vname = uniqueVolName(volumes, dnsName(basename(abs)));
          if (cm.file) volumes.push({ name: vname, source: { configMap: cm.name }, mounts: [{ mountPath: v.target, subPath: cm.file, readOnly: true }] });
          else volumes.push({ name: vname, source: { configMap: cm.name }, mounts: [{ mountPath: v.target, readOnly: true }] });
          n(field, 'changed', `bind mount ${src}: ConfigMap ${cm.name} with its content, mounted read-only${cm.skipped.length ? `; not carried: ${cm.skipped.join(', ')}` : ''}`);
        } else {
          const vname = uniqueVolName(volumes, dnsName(basename(src)) || 'data');
          volumes.push({ name: vname, source: { persistent: { storage: 'standard', size: DEFAULT_VOLUME_SIZE } }, mounts: [{ mountPath: v.target }] });
          hasOwnClaim.push(src);
          n(field, 'changed', `bind mount ${src} (${cm.why}): a ${DEFAULT_VOLUME_SIZE} PersistentVolumeClaim, starting empty`);
        }
      } else {
        n(field, 'dropped', `volume type "${v.type}" has no equivalent here`);
      }
    }
    for (const [i, t] of (typeof def.tmpfs === 'string' ? [def.tmpfs] : Array.isArray(def.tmpfs) ? def.tmpfs : []).entries()) {
      const target = String(t).split(':')[0];
      volumes.push({ name: uniqueVolName(volumes, 'tmpfs'), source: { emptyDir: { medium: 'Memory' } }, mounts: [{ mountPath: target }] });
      if (String(t).includes(':')) n(`tmpfs[${i}]`, 'dropped', `mount options of ${target} not carried (emptyDir medium Memory)`);
    }
    for (const [i, sref] of (Array.isArray(def.secrets) ? def.secrets : []).entries()) {
      const source = isObj(sref) ? String(sref.source) : String(sref);
      const target = isObj(sref) && sref.target ? String(sref.target) : source;
      const top = c.secrets[source];
      if (!top) throw new UserError(`${at(`secrets[${i}]`)}: secret "${source}" is not defined in the top-level secrets`, 2);
      const sname = dnsName(source);
      const key = keyName(source);
      if (!secretDecls.has(sname)) {
        const value = guard(`secrets.${source}`, () => composeSecretValue(c, source, top, (m) => note(undefined, `secrets.${source}`, 'warning', m)));
        secretDecls.set(sname, { name: sname, description: `compose secret "${source}"`, keys: [{ name: key, description: top.file ? `content of ${top.file}` : top.environment ? `from $${top.environment}` : 'external: set it with gitops secrets set' }] });
        secretValues.set(sname, new Map(value === undefined ? [] : [[key, value]]));
      }
      const mountPath = target.startsWith('/') ? target : `/run/secrets/${target}`;
      volumes.push({ name: uniqueVolName(volumes, `secret-${sname}`), source: { secret: sname, ...(isObj(sref) && sref.mode !== undefined ? { defaultMode: Number(sref.mode) } : {}) }, mounts: [{ mountPath, subPath: key, readOnly: true }] });
      if (isObj(sref) && (sref.uid || sref.gid)) n(`secrets[${i}]`, 'dropped', 'uid/gid of the secret file: Kubernetes sets ownership through fsGroup');
    }
    for (const [i, cref] of (Array.isArray(def.configs) ? def.configs : []).entries()) {
      const source = isObj(cref) ? String(cref.source) : String(cref);
      const target = isObj(cref) && cref.target ? String(cref.target) : `/${source}`;
      const top = c.configs[source];
      if (!top) throw new UserError(`${at(`configs[${i}]`)}: config "${source}" is not defined in the top-level configs`, 2);
      const cmName = dnsName(`config-${source}`);
      if (!configMaps.has(cmName)) {
        const content = guard(`configs.${source}`, () => composeConfigContent(c, source, top));
        if (content === undefined) {
          n(`configs[${i}]`, 'dropped', `config "${source}" is external: create ConfigMap ${cmName} by hand`);
          continue;
        }
        configMaps.set(cmName, { name: cmName, data: { [keyName(source)]: content }, source: `configs.${source}` });
      }
      volumes.push({ name: uniqueVolName(volumes, cmName), source: { configMap: cmName }, mounts: [{ mountPath: target.startsWith('/') ? target : `/${target}`, subPath: keyName(source), readOnly: true }] });
    }
    const dbLike = isDatabase && hasOwnClaim.length > 0 && kind === 'Deployment';
    if (dbLike) {
      kind = 'StatefulSet';
      n('volumes', 'changed', `owns data volume ${hasOwnClaim.join(', ')} and runs ${img.repo}: a StatefulSet with volumeClaimTemplates (${DEFAULT_VOLUME_SIZE} each; resize in settings.storage)`);
    } else if (hasOwnClaim.length) {
      n('volumes', 'changed', `data volume ${hasOwnClaim.join(', ')}: a ${DEFAULT_VOLUME_SIZE} PersistentVolumeClaim of its own (ReadWriteOnce, so one replica everywhere)`);
    }
    // Restricted prod makes the root filesystem read-only: give every long-running container a writable /tmp.
    if (kind !== 'Job' && !volumes.some((v) => v.mounts?.some((m) => m.mountPath === '/tmp'))) {
      volumes.push({ name: uniqueVolName(volumes, 'tmp'), source: { emptyDir: {} }, mounts: [{ mountPath: '/tmp' }] });
    }
    if (volumes.length) spec.volumes = volumes;

    // ---- security
    const security: Record<string, unknown> = {};
    if (typeof def.user === 'string' || typeof def.user === 'number') {
      const m = /^(\d+)(?::(\d+))?$/.exec(String(def.user));
      if (m) {
        security.runAsUser = Number(m[1]);
        if (m[2] !== undefined) security.runAsGroup = Number(m[2]);
        if (Number(m[1]) === 0) {
          security.runAsNonRoot = false;
          n('user', 'warning', 'runs as root (UID 0): carried, so policy flags it where root is not allowed (restricted prod)');
        }
      } else n('user', 'dropped', `user "${def.user}" is a name: Kubernetes needs a numeric UID (set securityContext.runAsUser)`);
    }
    if (def.read_only === true) security.readOnlyRootFilesystem = true;
    if (def.privileged === true) {
      security.privileged = true;
      security.allowPrivilegeEscalation = true;
      n('privileged', 'warning', 'privileged: carried, so policy flags it');
    }
    const capAdd = Array.isArray(def.cap_add) ? def.cap_add.map((x: unknown) => String(x).replace(/^CAP_/, '')) : [];
    const capDrop = Array.isArray(def.cap_drop) ? def.cap_drop.map((x: unknown) => String(x).replace(/^CAP_/, '')) : [];
    if (capAdd.length || capDrop.length) {
      security.capabilities = { ...(capAdd.length ? { add: capAdd } : {}), ...(capDrop.length ? { drop: capDrop } : {}) };
      if (capAdd.length) n('cap_add', 'warning', `adds ${capAdd.join(', ')}: carried, so policy flags what the environment forbids`);
    }
    if (Object.keys(security).length) spec.securityContext = security;

    // ---- deploy, restart, stop
    const deploy = isObj(def.deploy) ? def.deploy : {};
    const replicas = typeof deploy.replicas === 'number' ? deploy.replicas : typeof def.scale === 'number' ? def.scale : 1;
    const resources = guard('deploy.resources', () => resourcesOf(deploy.resources, def, n));
    if (def.restart === 'on-failure' || (typeof def.restart === 'string' && def.restart.startsWith('on-failure'))) {
      if (kind !== 'Job') n('restart', 'changed', `"${def.restart}": Kubernetes restarts the containers of a ${kind} whatever the exit code`);
    } else if (def.restart === 'no' && kind !== 'Job') n('restart', 'changed', '"no": a long-running service; Kubernetes always restarts it');
    if (def.stop_grace_period !== undefined) spec.terminationGracePeriodSeconds = guard('stop_grace_period', () => durationSeconds(def.stop_grace_period));

    spec.kind = kind;
    if (dependsOn.length) {
      spec.dependsOn = dependsOn.map((d) => componentName.get(d)!);
      if (Object.values(depConds).some((d) => d.condition === 'service_healthy')) spec.waitForDependencies = true;
      for (const [d, v] of Object.entries(depConds)) if (v.restart) n(`depends_on.${d}.restart`, 'dropped', 'Kubernetes does not restart dependants when a dependency restarts');
    }
    if (kind === 'Job') {
      spec.hook = dependsOn.length ? 'Sync' : 'PreSync';
      spec.backoffLimit = 3;
    }
    const isDeployment = kind === 'Deployment';
    const rwoClaim = isDeployment && hasOwnClaim.length > 0;
    const annotations: Record<string, string> = {};
    const suppress: string[] = [];
    if (kind !== 'Job' && !spec.probes) {
      suppress.push('probe-liveness: compose defines no healthcheck and the service listens on no known port', 'probe-readiness: compose defines no healthcheck and the service listens on no known port');
    }
    if (rwoClaim) {
      suppress.push('ha-replicas: owns a ReadWriteOnce volume, so it runs one replica', 'ha-pdb: one replica (ReadWriteOnce volume), so a budget would only block node drains');
      spec.strategy = { type: 'Recreate' };
    }
    if (suppress.length) annotations['gitops.io/suppress'] = suppress.join('; ');
    if (Object.keys(annotations).length) spec.annotations = annotations;
    const prodHa = isDeployment && !rwoClaim;
    spec.settings = {
      default: { ...(kind === 'Job' ? {} : { replicas }), resources },
      ...(prodHa
        ? { prod: { replicas: Math.max(2, replicas), disruptionBudget: { minAvailable: 1 } } }
        : {}),
      ...(opts.devNodePorts && published.length && kind !== 'Job' ? { dev: { exposure: { type: 'NodePort' as const } } } : {}),
    };
    if (prodHa && replicas < 2) n('deploy.replicas', 'changed', `prod runs 2 replicas with a PodDisruptionBudget (prod policy requires HA); ${replicas} elsewhere`);
    // Every port gets a Service port: on a compose network any service may connect to any of them.
    if (kind !== 'Job' && !ports.length) spec.service = false;

    ignoredFields(def, n);
    const summary = `compose service "${s}"${def.image ? ` (${def.image})` : def.build !== undefined ? ' (built from source)' : ''}`;
    spec.description = summary;
    components.push({ service: s, varName: camel(name), summary, spec: spec as ComponentSpec, publishedPorts: [...new Set(published)] });
  }

  // Group secret-looking variables: one Secret per set of services sharing the same name=value pairs.
  const groups = new Map<string, { services: string[]; pairs: string[] }>();
  for (const [pairKey, use] of envSecretUse) {
    const gk = JSON.stringify([...new Set(use.services)].sort());
    const g = groups.get(gk) ?? { services: [...new Set(use.services)].sort(), pairs: [] };
    g.pairs.push(pairKey);
    groups.set(gk, g);
  }
  const secretOfPair = new Map<string, string>();
  for (const g of groups.values()) {
    const base = g.services.length === 1 ? componentName.get(g.services[0])! : commonPrefix(g.services.map((x) => componentName.get(x)!)) || opts.platform;
    let sname = dnsName(`${base}-env`);
    for (let i = 2; secretDecls.has(sname); i++) sname = dnsName(`${base}-env-${i}`);
    const keys = g.pairs.map((p) => envSecretUse.get(p)!);
    // The same name twice with different values in one group cannot happen: a service has one value per name.
    secretDecls.set(sname, {
      name: sname,
      description: `secret environment of ${g.services.join(', ')}`,
      keys: keys.map((k) => ({ name: k.name, description: `compose environment variable (secret by rule ${k.rule})` })),
    });
    secretValues.set(sname, new Map(keys.map((k) => [k.name, k.value])));
    for (const p of g.pairs) secretOfPair.set(p, sname);
    for (const k of keys) {
      for (const svc of g.services) note(svc, `environment.${k.name}`, 'changed', `secret (rule ${k.rule}): Secret ${sname}, key ${k.name}, via secretKeyRef; the value is only written encrypted`);
    }
  }
  for (const comp of components) {
    for (const ref of envSecretRefs.get(comp.service) ?? []) {
      const e = comp.spec.env![ref.index] as { name: string; secret: string; key: string };
      e.secret = secretOfPair.get(ref.pairKey)!;
    }
  }
  for (const [sname, values] of secretValues) {
    const decl = secretDecls.get(sname)!;
    for (const k of decl.keys) if (!values.has(k.name)) note(undefined, `secrets.${sname}.${k.name}`, 'warning', `no value known: written as CHANGE-ME; set it with gitops secrets set`);
  }

  // File names only: the library must not record where the compose files sat on this machine.
  const sources = c.files.map((f) => basename(f));
  return {
    platform: opts.platform,
    description: `Imported from Docker Compose (${sources.join(', ')})${c.name ? `, project "${c.name}"` : ''}`,
    namespace: opts.platform,
    sources,
    components,
    configMaps: [...configMaps.values()],
    secrets: [...secretDecls.values()],
    secretValues,
    volumes: sharedVolumes,
    releases,
    devNodePorts: !!opts.devNodePorts,
    notes,
  };
}

// ---- helpers -------------------------------------------------------------------------------------

function words(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return shellSplit(String(v));
}

function healthCommand(test: unknown): string[] {
  if (typeof test === 'string') return ['sh', '-c', test];
  const list = (test as unknown[]).map(String);
  if (list[0] === 'CMD') return list.slice(1);
  if (list[0] === 'CMD-SHELL') return ['sh', '-c', list.slice(1).join(' ')];
  return list;
}

/** A curl/wget of a local URL (and nothing else but `|| exit 1`) → path, port. */
export function httpCheck(cmd: string[]): { path: string; port: number; https: boolean; tool: string } | undefined {
  const text = cmd[0] === 'sh' && cmd[1] === '-c' ? cmd.slice(2).join(' ') : cmd.join(' ');
  const m = /^\s*(curl|wget)\b((?:\s+-{1,2}[\w-]+(?:=\S+)?)*)\s+['"]?(https?):\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"]*)?['"]?((?:\s+-{1,2}[\w-]+(?:=\S+)?)*)\s*(\|\|\s*exit\s+1)?\s*$/.exec(text);
  if (!m) return undefined;
  const https = m[3] === 'https';
  return { tool: m[1], https, port: m[5] ? Number(m[5]) : https ? 443 : 80, path: m[6] ?? '/' };
}

function parsePort(p: unknown): { targets: number[]; published?: string; protocol: 'TCP' | 'UDP'; hostIp?: string } {
  if (isObj(p)) {
    const proto = String(p.protocol ?? 'tcp').toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') throw new Error(`protocol ${p.protocol} is not supported`);
    const published = p.published !== undefined ? hostPort(String(p.published)) : undefined;
    return { targets: range(String(p.target)), published, protocol: proto as 'TCP' | 'UDP', hostIp: p.host_ip };
  }
  let s = String(p);
  let protocol: 'TCP' | 'UDP' = 'TCP';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    const proto = s.slice(slash + 1).toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') throw new Error(`protocol ${proto.toLowerCase()} is not supported`);
    protocol = proto as 'TCP' | 'UDP';
    s = s.slice(0, slash);
  }
  // [host_ip:][published:]target — IPv6 host IPs are bracketed.
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (v6) {
    hostIp = v6[1];
    s = v6[2];
  }
  const parts = s.split(':');
  if (parts.length === 3) hostIp = parts.shift();
  const target = parts.pop()!;
  const published = parts.pop();
  return { targets: range(target), published: published ? hostPort(published) : undefined, protocol, hostIp: hostIp || undefined };
}

/** `8080` or `8000-8010` as [first, last]; null when it is no port or range, undefined when out of 1-65535 or reversed. */
function portSpan(s: string): [number, number] | null | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return a < 1 || b > 65535 || b < a ? undefined : [a, b];
}

/** A published (host) port or range as Compose accepts it (`8080`, `8000-8010`); Compose refuses `abc` or `99999`, so do we. */
function hostPort(s: string): string {
  if (!portSpan(s)) throw new Error(`host port "${s}" is not a port or port range (1-65535)`);
  return s.trim();
}

function range(s: string): number[] {
  const span = portSpan(s);
  if (span === null) throw new Error(`"${s}" is not a port or port range`);
  if (!span || span[1] - span[0] > 100) throw new Error(`port range "${s}" is out of bounds`);
  const [a, b] = span;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

interface VolumeUse { type: string; source?: string; target: string; readOnly: boolean }

/** A service's volumes in long form. */
function volumesOf(def: Obj): VolumeUse[] {
  return (Array.isArray(def.volumes) ? def.volumes : []).map((v: unknown) => {
    if (isObj(v)) return { type: String(v.type ?? 'volume'), source: v.source !== undefined ? String(v.source) : undefined, target: String(v.target), readOnly: v.read_only === true };
    const parts = splitVolume(String(v));
    if (parts.length === 1) return { type: 'volume', target: parts[0], readOnly: false };
    const [source, target, mode = ''] = parts;
    const isPath = /^[.~/\\]/.test(source) || /^[A-Za-z]:/.test(source);
    return { type: isPath ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
  });
}

function envFiles(v: unknown): Array<{ path: string; required: boolean }> {
  const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  return list.map((e) => (isObj(e) ? { path: String(e.path), required: e.required !== false } : { path: String(e), required: true }));
}

const uniqueVolName = (vols: VolumeSpec[], base: string): string => {
  const b = dnsName(base).slice(0, 50) || 'vol';
  let n = b;
  for (let i = 2; vols.some((v) => v.name === n); i++) n = `${b}-${i}`;
  return n;
};

/** ConfigMap key: file names allow [-._a-zA-Z0-9]. */
const keyName = (s: string) => s.replace(/[^-._a-zA-Z0-9]/g, '_');

function commonPrefix(names: string[]): string {
  const split = names.map((n) => n.split('-'));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const w = split[0][i];
    if (w === undefined || !split.every((p) => p[i] === w)) break;
    out.push(w);
  }
  return out.join('-');
}

function hostPathReason(src: string, target: string): string {
  if (/docker\.sock/.test(src)) {
    return `bind mount of ${src} refused: the Docker socket gives the container root control of the node's container runtime, and a Kubernetes node may not even run Docker; use the Kubernetes API with a ServiceAccount instead`;
  }
  return `bind mount of host path ${src} at ${target} refused: a pod may run on any node, and hostPath breaks Pod Security baseline; ship the files in the image, a ConfigMap or a PersistentVolumeClaim`;
}

const isRelativeBind = (v: VolumeUse) => v.type === 'bind' && !!v.source && /^\.{1,2}([\\/]|$)/.test(v.source);

/** Whether a bind source can become a ConfigMap (a small text file or folder of them) or holds data. */
function bindClass(abs: string): { config: boolean; why: string } {
  if (!existsSync(abs)) return { config: false, why: 'not present beside the compose file' };
  const st = statSync(abs);
  const files = st.isFile() ? [abs] : readdirSync(abs, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => resolve(abs, e.name));
  if (!files.length) return { config: false, why: 'an empty folder' };
  let total = 0;
  for (const f of files) {
    const content = readFileSync(f);
    if (content.includes(0)) return { config: false, why: `holds binary file ${basename(f)}` };
    total += content.length;
  }
  if (total > CONFIG_DIR_LIMIT) return { config: false, why: 'more than 1 MiB' };
  return { config: true, why: 'text files' };
}

const isDataBind = (dir: string, v: VolumeUse): boolean => isRelativeBind(v) && !bindClass(resolve(dir, v.source!)).config;

type BindResult = { kind: 'configmap'; name: string; file?: string; skipped: string[] } | { kind: 'data'; why: string };

/** A bind mount of a file or a small folder of text files beside the compose file → a ConfigMap with its content. */
function bindToConfigMap(abs: string, src: string, component: string, cms: Map<string, PlannedConfigMap>, bySource: Map<string, string>): BindResult {
  if (!existsSync(abs)) return { kind: 'data', why: 'not present beside the compose file' };
  const st = statSync(abs);
  const known = bySource.get(abs);
  if (st.isFile()) {
    if (st.size > CONFIG_DIR_LIMIT) return { kind: 'data', why: 'larger than 1 MiB' };
    const content = readFileSync(abs);
    if (content.includes(0)) return { kind: 'data', why: 'binary' };
    const key = keyName(basename(abs));
    if (known) return { kind: 'configmap', name: known, file: key, skipped: [] };
    const name = uniqueCm(cms, `${component}-${dnsName(basename(abs))}`);
    cms.set(name, { name, data: { [key]: content.toString('utf8') }, source: src });
    bySource.set(abs, name);
    return { kind: 'configmap', name, file: key, skipped: [] };
  }
  const data: Record<string, string> = {};
  const skipped: string[] = [];
  let total = 0;
  for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isFile()) {
      skipped.push(`${src.replace(/\/$/, '')}/${e.name}${e.isDirectory() ? '/' : ''} (ConfigMaps hold no folders)`);
      continue;
    }
    const content = readFileSync(resolve(abs, e.name));
    if (content.includes(0)) return { kind: 'data', why: `holds binary file ${e.name}` };
    total += content.length;
    data[keyName(e.name)] = content.toString('utf8');
  }
  if (total > CONFIG_DIR_LIMIT) return { kind: 'data', why: 'more than 1 MiB of files' };
  if (!Object.keys(data).length) return { kind: 'data', why: 'an empty folder' };
  if (known) return { kind: 'configmap', name: known, skipped };
  const name = uniqueCm(cms, `${component}-${dnsName(basename(abs))}`);
  cms.set(name, { name, data, source: src });
  bySource.set(abs, name);
  return { kind: 'configmap', name, skipped };
}

function uniqueCm(cms: Map<string, PlannedConfigMap>, base: string): string {
  let n = dnsName(base);
  for (let i = 2; cms.has(n); i++) n = dnsName(`${base}-${i}`);
  return n;
}

function composeSecretValue(c: LoadedCompose, source: string, top: Obj, warn: (m: string) => void): string | undefined {
  if (typeof top.file === 'string') {
    const abs = isAbsolute(top.file) ? top.file : resolve(c.dir, top.file);
    if (!existsSync(abs)) {
      warn(`file ${top.file} does not exist: written as CHANGE-ME`);
      return undefined;
    }
    return readFileSync(abs, 'utf8');
  }
  if (typeof top.environment === 'string') {
    const v = c.variable(top.environment);
    if (v === undefined) warn(`variable ${top.environment} is not set: written as CHANGE-ME`);
    return v;
  }
  if (typeof top.content === 'string') return top.content;
  warn(`secret "${source}" is external: written as CHANGE-ME`);
  return undefined;
}

function composeConfigContent(c: LoadedCompose, _source: string, top: Obj): string | undefined {
  if (typeof top.content === 'string') return top.content;
  if (typeof top.file === 'string') return readFileSync(isAbsolute(top.file) ? top.file : resolve(c.dir, top.file), 'utf8');
  if (typeof top.environment === 'string') return c.variable(top.environment) ?? '';
  return undefined;
}

function resourcesOf(res: unknown, def: Obj, n: (field: string, kind: Note['kind'], message: string) => void): Resources {
  const r = isObj(res) ? res : {};
  const lim = isObj(r.limits) ? r.limits : {};
  const resv = isObj(r.reservations) ? r.reservations : {};
  const limits = { ...DEFAULT_RESOURCES.limits };
  const requests = { ...DEFAULT_RESOURCES.requests };
  const cpuLimit = lim.cpus ?? def.cpus;
  const memLimit = lim.memory ?? def.mem_limit;
  if (cpuLimit !== undefined) limits.cpu = cpuQuantity(cpuLimit);
  if (memLimit !== undefined) limits.memory = memoryQuantity(memLimit);
  if (resv.cpus !== undefined) requests.cpu = cpuQuantity(resv.cpus);
  if (resv.memory ?? def.mem_reservation) requests.memory = memoryQuantity(resv.memory ?? def.mem_reservation);
  // Keep requests <= limits when only one side was given.
  if (parseInt(requests.cpu!) > parseInt(limits.cpu!)) (resv.cpus !== undefined ? (limits.cpu = requests.cpu) : (requests.cpu = limits.cpu));
  if (quantityBytes(requests.memory!) > quantityBytes(limits.memory!)) (resv.memory !== undefined ? (limits.memory = requests.memory) : (requests.memory = limits.memory));
  const given = [cpuLimit, memLimit, resv.cpus, resv.memory].filter((x) => x !== undefined).length;
  if (given < 4) n('deploy.resources', given ? 'changed' : 'added', `${given ? 'completed' : 'no resources in compose'}: requests ${requests.cpu}/${requests.memory}, limits ${limits.cpu}/${limits.memory} (policy requires both; tune them)`);
  if (isObj(r.reservations) && r.reservations.devices) n('deploy.resources.reservations.devices', 'dropped', 'device reservations (GPUs): use the cluster\'s device plugin resources');
  return { requests, limits };
}

/** Fields the mapping reads; every other field present is reported as not carried. */
const HANDLED = new Set([
  'image', 'build', 'command', 'entrypoint', 'working_dir', 'user', 'environment', 'env_file', 'ports', 'expose', 'healthcheck',
  'deploy', 'restart', 'stop_grace_period', 'read_only', 'tmpfs', 'cap_add', 'cap_drop', 'privileged', 'depends_on', 'volumes',
  'secrets', 'configs', 'profiles', 'scale', 'cpus', 'mem_limit', 'mem_reservation', 'extends',
]);

const WHY: Record<string, string> = {
  container_name: 'Kubernetes names pods itself; the component name is the stable DNS name',
  hostname: 'pods are reached through their Service name',
  networks: 'one namespace; NetworkPolicies allow traffic between the platform\'s pods',
  network_mode: 'pods have their own network namespace',
  labels: 'container labels have no Kubernetes counterpart (add labels to the component if selectors need them)',
  logging: 'the cluster\'s log collector reads stdout/stderr',
  extra_hosts: 'use DNS or hostAliases by hand',
  links: 'Services make every component reachable by name',
  ulimits: 'set by the node\'s container runtime, not per pod',
  sysctls: 'needs an allow-list on the kubelet',
  shm_size: 'mount an emptyDir with medium Memory at /dev/shm if needed',
  devices: 'device access needs a device plugin',
  security_opt: 'set seccomp/AppArmor in the security context',
  pid: 'pods do not share the host PID namespace',
  ipc: 'pods do not share IPC namespaces',
  init: 'add an init process to the image (tini) if needed',
  stdin_open: 'pods are not attached to a terminal',
  tty: 'pods are not attached to a terminal',
  platform: 'the node architecture decides; use a multi-arch image or a nodeSelector',
  pull_policy: 'Kubernetes defaults to IfNotPresent for pinned tags',
  stop_signal: 'Kubernetes sends SIGTERM; change the image\'s STOPSIGNAL',
  dns: 'cluster DNS serves every pod',
  dns_search: 'cluster DNS serves every pod',
  annotations: 'container annotations have no counterpart',
  develop: 'compose watch is a development loop',
};

function ignoredFields(def: Obj, n: (field: string, kind: Note['kind'], message: string) => void): void {
  for (const k of Object.keys(def).sort()) {
    if (HANDLED.has(k)) continue;
    n(k, 'dropped', WHY[k] ?? 'no equivalent in the platform model');
  }
  const deploy = isObj(def.deploy) ? def.deploy : {};
  for (const k of Object.keys(deploy).sort()) {
    if (k === 'replicas' || k === 'resources') continue;
    n(`deploy.${k}`, 'dropped', k === 'placement' ? 'use nodeSelector/tolerations in the component settings' : k === 'restart_policy' ? 'Kubernetes restart policy follows the workload kind' : 'no equivalent in the platform model');
  }
}
