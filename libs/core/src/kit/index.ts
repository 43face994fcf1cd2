/**
 * The platform kit: the words every platform used to spell for itself, once, with documented
 * defaults (see libs/core/README.md "The platform kit").
 */
export * from './annotations';
export * from './meta';
export * from './network-policy';
export * from './quantity';
export * from './resources';
export * from './security';
export * from './yaml-text';
