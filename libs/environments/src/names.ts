/**
 * The environment names in promotion order, for code that needs only the names (the Nx plugin,
 * Hyperpage's design tables, test helpers) and must not load the environment definitions. The list
 * itself is core's ENVIRONMENT_ORDER (the model's EnvName type is derived from it and core cannot
 * depend on this package); this module is how everything outside core reaches it. It imports a
 * module without run-time imports of its own, so the CommonJS Nx plugin can load it cheaply.
 */
export { ENVIRONMENT_ORDER as ENVIRONMENT_NAMES, type EnvName } from '@gitops/core/environment';
