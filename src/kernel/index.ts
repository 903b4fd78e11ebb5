export { Simulation, type Handler, type EventId } from './simulation.js';
export { RandomStreams, type Uniform } from './random-streams.js';
export { makeSampler, type Sampler } from './distributions.js';
export { type DistSpec, moment, mean } from './distribution-spec.js';
export { Fifo } from './fifo.js';
export { CountingPool } from './counting-pool.js';
export { PsCpu } from './ps-cpu.js';
