export * from './repo';
export * from './platforms';
export * from './generate';
export * from './render';
export * from './testing';
export * from './diff';
