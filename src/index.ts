/** xray-gpu's public API. */
export * from './image.js';
export * from './engine.js';
export * from './filters/boundary.js';
export * from './filters/gaussian.js';
export * from './filters/edges.js';
export * from './filters/ops.js';
export * from './filters/canny.js';
