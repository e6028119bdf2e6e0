/**
 * Test support shared by every package's tests and the browser's contract
 * run: an index of re-exports only.
 */
export * from './assert.ts';
export { type ContractCase, contractCases } from './contract.ts';
export { type DumpTarget, dumpState } from './dump.ts';
export * from './fixtures.ts';
export {
  type DumpState,
  formatFailure,
  type OpenReplica,
  type OpenStore,
  runSimulation,
  type SimStore,
  type SimulationOptions,
  type SimulationResult,
  type SimulationStats,
} from './simulator.ts';
export { createRandom, type Random } from './simulator-random.ts';
