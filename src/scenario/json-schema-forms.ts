// JSON Schema fragments for the model file's leaf values, attached to the zod leaves in
// schema.ts with .meta() so that z.toJSONSchema (json-schema.ts) describes the same schema the
// parser runs. Each leaf is a zod transform over unknown, which JSON Schema cannot see into: the
// fragment states the form (type, unit pattern, enum) an editor can check as you type. The
// patterns are deliberately no stricter than the parsers in units.ts and distribution-syntax.ts
// (a value the schema refuses, capsim refuses too); ranges that need arithmetic on units and
// the rules between keys are left to capsim, which says so in the schema's description.
// Pure: no Node-only imports.
import { NAMES as DISTRIBUTION_NAMES } from './distribution-syntax.js';

export type JsonFragment = Record<string, unknown>;

const NUM = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const DURATION_UNITS = 'ns|us|µs|μs|ms|s|sec|m|min|h|d';
const RATE_UNITS = 's|sec|m|min|h|d';
const SIZE_UNITS = 'B|KB|MB|GB|TB|KiB|MiB|GiB|TiB';

const pattern = (body: string) => ({ type: 'string', pattern: String.raw`^\s*${body}\s*$` });

export const DURATION_PATTERN = String.raw`^\s*${NUM}\s*(?:${DURATION_UNITS})?\s*$`;

export function durationJson(expected: string): JsonFragment {
  return { description: expected, anyOf: [{ type: 'string', pattern: DURATION_PATTERN }, { const: 0 }] };
}

export function rateJson(expected: string): JsonFragment {
  return { description: expected, ...pattern(String.raw`${NUM}\s*[kM]?\s*/\s*(?:${RATE_UNITS})`) };
}

export function countJson(expected: string, min: number): JsonFragment {
  return { description: expected, anyOf: [{ type: 'integer', minimum: min }, pattern(String.raw`${NUM}\s*[kM]?`)] };
}

export function numberJson(expected: string): JsonFragment {
  return { description: expected, anyOf: [{ type: 'number', exclusiveMinimum: 0 }, pattern(NUM)] };
}

export function enumJson(expected: string, values: readonly string[]): JsonFragment {
  return { description: expected, enum: [...values] };
}

export function booleanJson(): JsonFragment {
  return { description: 'true or false', type: 'boolean' };
}

export function sizeJson(expected: string, unlimited: boolean): JsonFragment {
  const forms: JsonFragment[] = [{ type: 'integer', minimum: 0 }, pattern(String.raw`${NUM}\s*(?:${SIZE_UNITS})?`)];
  if (unlimited) forms.push({ const: 'unlimited' });
  return { description: expected, anyOf: forms };
}

export function textJson(expected: string): JsonFragment {
  return { description: expected, type: 'string', minLength: 1 };
}

export function versionJson(expected: string): JsonFragment {
  return { description: expected, anyOf: [{ type: 'string', minLength: 1 }, { type: 'number' }] };
}

export function backlogJson(expected: string): JsonFragment {
  return { description: expected, anyOf: [{ type: 'integer', minimum: 0 }, pattern(String.raw`${NUM}\s*[kM]?`), { const: 'unlimited' }] };
}

/** A distribution: a bare duration (a constant) or NAME(...) with a known name; 0 alone too. */
export function distributionJson(expected: string): JsonFragment {
  const call = String.raw`(?:${DISTRIBUTION_NAMES.join('|')})\s*\(.*\)`;
  return {
    description: `${expected} (forms: ${DISTRIBUTION_NAMES.join(', ')}; see README "Distributions")`,
    anyOf: [{ type: 'string', pattern: DURATION_PATTERN }, pattern(call), { const: 0 }],
  };
}
