// What a team observed of its real fleet, as `capsim infer` compares it with simulations: one
// figure (a metric capsim computes, in that metric's units), how uncertain the figure itself is,
// and the configuration it was seen at. Readers of CloudWatch exports, access logs and the
// observations file all produce these; inference consumes them. (The contract between
// src/observe/ readers and src/infer/.)
import type { MetricSpec } from '../experiment/metrics.js';

/** How the observed figure relates to the truth it stands for. */
export type ObservationForm =
  /** The figure is a measurement: the truth is near `value`, give or take `sd`. */
  | { kind: 'value'; value: number; sd: number }
  /** Only a bound was stated ("under 1%", "at least 8"): `bound` with `sd` of slack on it. */
  | { kind: 'at-most' | 'at-least'; bound: number; sd: number };

export interface Observation {
  /** A short name people read in tables: "502/5min at 2 workers". */
  name: string;
  /** Where it came from: "models/incident/observations.yaml:12", "cw.json#m502". */
  source: string;
  /** The capsim metric it speaks about (the forms of experiment/metrics.ts, extended as needed). */
  metric: MetricSpec;
  form: ObservationForm;
  /**
   * The configuration it was seen at, as --set overrides of the model (key path -> YAML value):
   * { "fleet.server.workers": 8 }. Empty: the model as it stands.
   */
  set: Record<string, string | number | boolean>;
  /** Seconds of real time the figure covers (a count's Poisson noise depends on it); 0 = unknown. */
  window: number;
  /** How far the model may be from reality on this figure (a stated model discrepancy), same units. */
  discrepancy: number;
}

/**
 * A reader of one kind of file given to `--observed` (an observations file, a CloudWatch export,
 * an access log). The readers are listed in src/observe/readers.ts; the first whose detect()
 * accepts a file reads it. A reader throws an input error naming the file and the field on a bad
 * file (exit 2).
 */
export interface ObservedReader {
  /** 'observations' | 'cloudwatch' | 'access-log' … */
  kind: string;
  /** Is this file of this reader's kind? `head` is its first 64 KiB as text. */
  detect(path: string, head: string): boolean;
  read(path: string): Promise<Observation[]>;
}
