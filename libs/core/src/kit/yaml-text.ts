/**
 * YAML text of the config files platforms ship in ConfigMaps (Prometheus, Alertmanager, Promtail…):
 * the `yaml` package's `stringify`, the repository's one YAML library, re-exported so that platform
 * bundles use the copy the CLI has loaded already instead of bundling their own (480 KB that every
 * `gitops generate` parsed again; libs/pipeline/src/platform-module.ts).
 */
export { stringify as toYamlText } from 'yaml';
