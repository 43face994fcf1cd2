export * from './yaml';
export * from './split';
export * from './emit';
export * from './binary';
export * from './render';
export * from './write';
