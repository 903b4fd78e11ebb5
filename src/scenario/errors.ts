// The one error the scenario layer throws for bad input. Its message is a single line that
// names the file (and line when known), the key path, the value as given and the form wanted:
//
//   models/x.yaml:14: fleet.server.workers: got -2, expected a whole number >= 1
//   models/x.yaml:9: traffic.endpoints.0.phases.0.cpu: got "exp(4 parsecs)" (exp(): mean: unknown time unit "parsecs" (known: ...)), expected a duration such as 250ms, 30s, 5m or 1h
//   models/x.yaml:21: fleet.server.maxRequest: unknown key "maxRequest" (did you mean "maxRequests"? known keys: kind, version, ...)
//   models/x.yaml: --set fleet.server.workers=-2: fleet.server.workers: got -2, expected a whole number >= 1
//   models/x.yaml:3: YAML syntax error: Nested mappings are not allowed in compact mappings
//   models/x.yaml: cannot read file (ENOENT: no such file or directory)
//
// Pure: no Node-only imports.
import { show } from './units.js';

export interface ModelErrorInit {
  file: string;
  /** Dotted key path, array indices as numbers: "traffic.endpoints.0.phases.1.cpu"; "" for the whole file. */
  keyPath?: string;
  line?: number;
  /** The value as given; leave out when the key is missing. */
  value?: unknown;
  /** True when `value` is meaningful (a given `undefined` reads as "missing"). */
  hasValue?: boolean;
  /** The form wanted ("a whole number >= 1"). */
  expected: string;
  /** What is wrong, when more than "got VALUE" helps. */
  problem?: string;
  /** Replaces "got VALUE, expected FORM" entirely (unknown keys, syntax errors, unreadable files). */
  reason?: string;
  /** The --set argument responsible, as typed. */
  setArg?: string;
}

export class ModelError extends Error {
  readonly file: string;
  readonly keyPath: string;
  readonly line: number | undefined;
  readonly value: unknown;
  readonly expected: string;
  readonly problem: string | undefined;
  readonly setArg: string | undefined;
  /** Process exit code for bad input (README, "Exit codes"). */
  readonly exitCode = 2;

  constructor(init: ModelErrorInit) {
    super(formatModelError(init));
    this.name = 'ModelError';
    this.file = init.file;
    this.keyPath = init.keyPath ?? '';
    this.line = init.line;
    this.value = init.value;
    this.expected = init.expected;
    this.problem = init.problem;
    this.setArg = init.setArg;
  }
}

export function formatModelError(init: ModelErrorInit): string {
  const parts: string[] = [init.line !== undefined ? `${init.file}:${init.line}` : init.file];
  if (init.setArg !== undefined) parts.push(`--set ${init.setArg}`);
  if (init.keyPath) parts.push(init.keyPath);
  if (init.reason !== undefined) {
    parts.push(init.reason);
  } else {
    const missing = init.hasValue === false || (init.hasValue === undefined && init.value === undefined);
    const got = missing ? 'missing' : `got ${show(init.value)}`;
    const problem = init.problem ? ` (${init.problem})` : '';
    parts.push(`${got}${problem}, expected ${init.expected}`);
  }
  return parts.join(': ');
}
