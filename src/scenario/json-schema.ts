// The model file as a JSON Schema (draft 2020-12), generated from the zod schema the parser runs
// (schema.ts), for editors (yaml-language-server: completion, hover text, errors as you type)
// and for validators. `capsim schema` prints it; schema/capsim-model.schema.json is the copy the
// bundled models point to, and a test fails when that copy drifts from this output.
// Pure: no Node-only imports.
import * as z from 'zod';
import { makeModelSchema } from './schema.js';

/** Where the checked-in copy lives, from the repository root. */
export const SCHEMA_FILE = 'schema/capsim-model.schema.json';

const DESCRIPTION =
  'A capsim model file (YAML). Durations, rates and sizes carry their units (250ms, 19k/min, 2GiB); every omitted key ' +
  "takes the named server version's default. This schema checks keys and the form of each value; capsim itself also " +
  'checks ranges and the rules between keys (exactly one of traffic.rate, profile or users; nginx-only balancer keys; ' +
  'settings a server version lacks) and prints each resolved value with its source: capsim explain MODEL. ' +
  'Every key: docs/model.md.';

export function modelJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(makeModelSchema('model'), {
    target: 'draft-2020-12',
    // The leaves are zod transforms; their JSON form is in their .meta() (json-schema-forms.ts).
    io: 'input',
    unrepresentable: 'any',
  });
  const { $schema, ...rest } = generated;
  return { $schema, title: 'capsim model', description: DESCRIPTION, ...rest };
}

/** The schema as `capsim schema` prints it and as the checked-in file holds it. */
export function modelJsonSchemaText(): string {
  return `${JSON.stringify(modelJsonSchema(), null, 2)}\n`;
}
