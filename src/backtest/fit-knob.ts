// capsim fit: one knob the logs cannot show but that governs a 5xx rate (the balancer's reuse
// order, the close-race window, a memory growth rate), chosen by how well each candidate value's
// predicted 5xx per 5-minute window matches the logs'.
//
// The measure: the log-likelihood of the logs' 5xx count in each whole window, y_k, under a
// Poisson with the model's mean for that window, mu_k (over its replications; at least 0.5/R, half
// a request over all replications, so a value that predicts none where the logs saw some is
// very unlikely rather than impossible). Counts of refused or raced requests come in bunches, so
// the likelihood is divided by the dispersion phi (quasi-Poisson): the replications' variance over
// mean per window, pooled over windows, at least 1, taken from the best value. The 95% set is
// every value whose scaled log-likelihood is within 1.92 (half the 95% point of chi-square with 1
// degree of freedom) of the best: the values the logs cannot tell apart from it.
import { lnGamma } from '../stats/special-functions.js';
import { CUTOFF } from '../infer/implausibility.js';
import { DEFAULT_DISCREPANCY } from '../observe/observations-file.js';
import { meanCI } from '../stats/intervals.js';
import type { Observations } from '../calibrate/observations.js';
import { STATUS_CLASSES } from '../calibrate/observations.js';
import { COUNTED, WINDOW } from './window-counts.js';
import type { SimulatedWindows } from './run-backtest.js';

export interface FitCandidate {
  value: string;
  /** Scaled log-likelihood (higher fits better) and its gap to the best. */
  logLik: number;
  gap: number;
  inSet: boolean;
  /** Implausibility of the value against the logs' mean 5xx per window (see above); above 3: ruled out. */
  implausibility: number;
  /** Predicted 5xx per whole 5-minute window: mean over windows, 95% interval over replications. */
  per5min: { mean: number; ci95: [number, number] };
}

export interface KnobFit {
  key: string;
  windows: number;
  /** The logs' 5xx per whole 5-minute window. */
  logPer5min: number;
  dispersion: number;
  best: string;
  candidates: FitCandidate[];
  /** The values within the 95% set and not ruled out; more than one: the logs cannot tell them apart. */
  set: string[];
  /** "fits", or "nothing fits" when every value's implausibility is above 3. */
  fits: 'fits' | 'nothing fits';
  verdict: string;
}

const FIVE_XX = ['500', '502', '503', '504'].map((s) => COUNTED.indexOf(s as (typeof COUNTED)[number]));
const LOG_FIVE = ['500', '502', '503', '504', '5xx other'].map((s) => STATUS_CLASSES.indexOf(s as (typeof STATUS_CLASSES)[number]));
export const SET_GAP = 1.92;

export function fitKnob(key: string, values: string[], sims: SimulatedWindows[], obs: Observations): KnobFit {
  const { w0, windows } = sims[0]!;
  // whole windows only: the first and the last are partial
  const judged = Array.from({ length: windows }, (_, k) => k).slice(1, -1);
  const y = judged.map((k) => {
    const c = obs.per5min.get(w0 / WINDOW + k);
    return c ? LOG_FIVE.reduce((a, i) => a + c[i]!, 0) : 0;
  });
  const perRep = (s: SimulatedWindows, k: number) => s.reps.map((c) => FIVE_XX.reduce((a, i) => a + c[k * COUNTED.length + i]!, 0));
  const raw = sims.map((s) => {
    const R = s.reps.length;
    let ll = 0;
    judged.forEach((k, j) => {
      const counts = perRep(s, k);
      const mu = Math.max(0.5 / R, counts.reduce((a, b) => a + b, 0) / R);
      ll += y[j]! * Math.log(mu) - mu - lnGamma(y[j]! + 1);
    });
    return ll;
  });
  const bestIndex = raw.indexOf(Math.max(...raw));
  const dispersion = dispersionOf(sims[bestIndex]!, judged, perRep);
  const scaled = raw.map((x) => x / dispersion);
  const top = scaled[bestIndex]!;
  const logPer5min = y.reduce((a, b) => a + b, 0) / Math.max(1, y.length);
  const k = Math.max(1, y.length);
  const yVar = y.length > 1 ? y.reduce((a, b) => a + (b - logPer5min) ** 2, 0) / (y.length - 1) : logPer5min;
  const logSd2 = Math.max(yVar, logPer5min, 1 / k) / k;
  const candidates = values.map((value, i) => {
    const perReplication = sims[i]!.reps.map((_, r) => judged.reduce((a, k) => a + perRep(sims[i]!, k)[r]!, 0) / Math.max(1, judged.length));
    const s = meanCI(perReplication);
    const R = perReplication.length;
    const sample = R > 1 ? perReplication.reduce((a, b) => a + (b - s.mean) ** 2, 0) / (R - 1) : 0;
    const se2 = Math.max(sample, s.mean / k) / R;
    const implausibility = Math.abs(logPer5min - s.mean) / Math.sqrt(logSd2 + (DEFAULT_DISCREPANCY * logPer5min) ** 2 + se2);
    const inSet = top - scaled[i]! <= SET_GAP && implausibility <= CUTOFF;
    return { value, logLik: scaled[i]!, gap: top - scaled[i]!, inSet, implausibility, per5min: { mean: s.mean, ci95: [Math.max(0, s.ci95[0]), s.ci95[1]] as [number, number] } };
  });
  const set = candidates.filter((c) => c.inSet).map((c) => c.value);
  const best = values[bestIndex]!;
  const f = (x: number) => `${+x.toPrecision(3)}`;
  const numeric = values.every((v) => /^-?\d+(\.\d+)?[a-zA-Zµμ]*$/.test(v));
  const edge = numeric && values.length > 2 && (bestIndex === 0 || bestIndex === values.length - 1) ? `; ${best} is the ${bestIndex === 0 ? 'first' : 'last'} value tried: the truth may lie beyond` : '';
  const closest = candidates.reduce((a, c) => (c.implausibility < a.implausibility ? c : a));
  const fits = candidates.some((c) => c.implausibility <= CUTOFF) ? 'fits' : 'nothing fits';
  const verdict =
    fits === 'nothing fits'
      ? `nothing fits: no value of ${key} tried predicts the logs' ${f(logPer5min)} 5xx per 5 minutes (the closest, ${closest.value}, predicts ${f(closest.per5min.mean)}: implausibility ${f(closest.implausibility)}, above ${CUTOFF})`
      : set.length === 0
        ? `${key} = ${best} fits the logs' windows best but predicts ${f(candidates[bestIndex]!.per5min.mean)} 5xx per 5 minutes against the logs' ${f(logPer5min)} (implausibility above ${CUTOFF}); ${candidates.filter((c) => c.implausibility <= CUTOFF).map((c) => c.value).join(', ')} come${candidates.filter((c) => c.implausibility <= CUTOFF).length === 1 ? 's' : ''} close on the mean but not window by window${edge}`
        : set.length === 1
          ? `${key} = ${set[0]} fits the logs' 5xx best, and the logs rule out every other value tried (95%)${edge}`
          : set.length === values.length
            ? `the logs cannot tell the values of ${key} apart: all ${values.length} fit within the 95% set (best: ${best})${edge}`
            : `${key} = ${best} fits best; the logs cannot tell it apart from ${set.filter((v) => v !== best).join(', ')} (95% set), and rule out ${candidates.filter((c) => !c.inSet).map((c) => c.value).join(', ')}${edge}`;
  return { key, windows: judged.length, logPer5min, dispersion, best, candidates, set, fits, verdict };
}

/** Pooled variance / mean of the replications' per-window counts, at least 1. */
function dispersionOf(s: SimulatedWindows, judged: number[], perRep: (s: SimulatedWindows, k: number) => number[]): number {
  let v = 0;
  let m = 0;
  for (const k of judged) {
    const c = perRep(s, k);
    if (c.length < 2) continue;
    const mean = c.reduce((a, b) => a + b, 0) / c.length;
    v += c.reduce((a, b) => a + (b - mean) ** 2, 0) / (c.length - 1);
    m += mean;
  }
  return m > 0 ? Math.max(1, v / m) : 1;
}
