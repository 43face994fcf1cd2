export * from './repo';
export * from './platforms';
export * from './generate';
export * from './render';
export * from './secrets-layout';
export * from './testing';
