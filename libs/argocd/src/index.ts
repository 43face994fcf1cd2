export * from './config';
export * from './paths';
export * from './inventory';
export * from './objects';
export * from './install';
export * from './generate';
export * from './readme';
export * from './committed';
