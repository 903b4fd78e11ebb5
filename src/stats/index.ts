// Public surface of the stats layer: streaming accumulators used on the simulation's hot
// path, and the interval functions used when summarizing replications.

export { Welford } from './welford.js';
export { TimeWeighted } from './time-weighted.js';
export { QuantileSketch } from './quantile-sketch.js';
export { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';
export {
  RARE_EVENT_TOTAL,
  bounded,
  meanCI,
  quantityCI,
  quantityRange,
  poissonCI,
  summarize,
  summarizeCounts,
  wilsonCI,
  type CountSummary,
  type MeanCI,
  type Quantity,
} from './intervals.js';
export {
  inverseRegularizedGammaP,
  lnBeta,
  lnGamma,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from './special-functions.js';
