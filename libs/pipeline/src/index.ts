export * from './repo';
export * from './platforms';
export * from './generate';
export * from './render';
export * from './secrets-layout';
export * from './testing';
export * from './diff';
export * from './secrets-files';
export * from './secrets-ops';
export * from './sops-config-drift';
export * from './secrets-edit';
// Registers the KSOPS secret loader with renderOverlay, so every render path decrypts (or redacts) Secrets.
export * from './secrets-render';
