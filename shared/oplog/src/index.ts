export * from './clock.ts';
export * from './errors.ts';
export * from './executor.ts';
export * from './op.ts';
export * from './protocol.ts';
export * from './replica.ts';
