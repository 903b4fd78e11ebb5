// Price tables (models/prices/*.yaml) and the cost of a fleet per hour:
//   containers × (vcpu × price per vCPU-hour + memory in GB × price per GB-hour)
// Each container is one task, billed for what it is given. The table says what its "GB" is
// (memoryUnit: GiB = 2^30 bytes, as AWS Fargate means it; or GB = 10^9 bytes); model memory is in
// bytes. The table's valid task sizes let capsim warn about a vcpu/memory pair Fargate would refuse.
// Pure (the page computes cost in the browser); reading a table from disk is price-file.ts.
import { parse as parseYaml } from 'yaml';
import type { Model } from '../scenario/model-types.js';
import { formatSize } from '../scenario/format.js';
import { ExperimentInputError } from './errors.js';

export interface ArchPrices {
  vcpuHour: number;
  gbHour: number;
}

export interface PriceTable {
  name: string;
  provider: string;
  region: string;
  currency: string;
  date: string;
  source: string;
  memoryUnit: 'GiB' | 'GB';
  default: string;
  architectures: Record<string, ArchPrices>;
  /** Valid task sizes: vCPU and the memory sizes (in the table's GB) allowed with it. */
  sizes: { vcpu: number; memory: number[] }[];
}

const FORM = 'a price table such as models/prices/fargate-us-east-1.yaml';

export function parsePriceTable(text: string, file: string): PriceTable {
  const bad = (key: string, problem: string): never => {
    throw new ExperimentInputError(`${file}: ${key ? `${key}: ` : ''}${problem}; expected ${FORM}`);
  };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return bad('', `YAML syntax error (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('', 'not a mapping');
  const r = raw as Record<string, unknown>;
  const str = (key: string, required = true): string => {
    const v = r[key];
    if (v === undefined && !required) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v !== 'string' && typeof v !== 'number') return bad(key, v === undefined ? 'missing' : 'not text');
    return String(v).trim();
  };
  const positive = (key: string, v: unknown): number => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) return bad(key, `got ${JSON.stringify(v)}, expected a number > 0`);
    return v;
  };
  const unit = str('memoryUnit', false) || 'GiB';
  if (unit !== 'GiB' && unit !== 'GB') bad('memoryUnit', `got "${unit}", expected GiB (2^30 bytes) or GB (10^9 bytes)`);
  const archRaw = r['architectures'];
  if (typeof archRaw !== 'object' || archRaw === null || Array.isArray(archRaw) || Object.keys(archRaw).length === 0) {
    bad('architectures', 'missing or empty');
  }
  const architectures: Record<string, ArchPrices> = {};
  for (const [name, v] of Object.entries(archRaw as Record<string, unknown>)) {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    architectures[name] = {
      vcpuHour: positive(`architectures.${name}.vcpuHour`, o['vcpuHour']),
      gbHour: positive(`architectures.${name}.gbHour`, o['gbHour']),
    };
  }
  const def = str('default', false) || Object.keys(architectures)[0]!;
  if (!(def in architectures)) bad('default', `"${def}" is not one of the architectures (${Object.keys(architectures).join(', ')})`);
  const sizes: PriceTable['sizes'] = [];
  const sizesRaw = r['sizes'] ?? [];
  if (!Array.isArray(sizesRaw)) bad('sizes', 'not a list');
  (sizesRaw as unknown[]).forEach((s, i) => {
    const o = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const vcpu = positive(`sizes.${i}.vcpu`, o['vcpu']);
    const m = o['memory'];
    let memory: number[];
    if (Array.isArray(m)) memory = m.map((x, j) => positive(`sizes.${i}.memory.${j}`, x));
    else if (typeof m === 'object' && m !== null) {
      const mm = m as Record<string, unknown>;
      const from = positive(`sizes.${i}.memory.from`, mm['from']);
      const to = positive(`sizes.${i}.memory.to`, mm['to']);
      const step = positive(`sizes.${i}.memory.step`, mm['step']);
      if (to < from) bad(`sizes.${i}.memory`, 'to is below from');
      memory = [];
      for (let x = from; x <= to + 1e-9; x += step) memory.push(Math.round(x * 1e6) / 1e6);
    } else return bad(`sizes.${i}.memory`, 'expected a list of sizes in GB or { from, to, step }');
    sizes.push({ vcpu, memory });
  });
  return {
    name: str('name'),
    provider: str('provider', false),
    region: str('region', false),
    currency: str('currency', false) || 'USD',
    date: str('date'),
    source: str('source'),
    memoryUnit: unit as 'GiB' | 'GB',
    default: def,
    architectures,
    sizes,
  };
}

export function checkArch(table: PriceTable, arch: string | undefined): string {
  const a = arch ?? table.default;
  if (!(a in table.architectures)) {
    throw new ExperimentInputError(`--arch ${a}: the price table ${table.name} has ${Object.keys(table.architectures).join(', ')}`);
  }
  return a;
}

export interface FleetCost {
  /** Whole fleet, per hour, in the table's currency. */
  costPerHour: number;
  perContainerHour: number;
  containers: number;
  vcpu: number;
  /** Memory per container in the table's GB (the smallest valid size when the model has no limit). */
  memoryGB: number;
  /** True when the model's memory is unlimited and the cost assumed memoryGB. */
  memoryAssumed: boolean;
  /** Is vcpu/memory a valid task size of the table? null when the table lists no sizes. */
  valid: boolean | null;
  /** A one-line warning when the size is not valid (or memory had to be assumed). */
  warning: string | null;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function listSizes(ms: number[]): string {
  if (ms.length <= 8) return ms.length === 1 ? String(ms[0]) : `${ms.slice(0, -1).join(', ')} or ${ms[ms.length - 1]}`;
  return `${ms[0]} to ${ms[ms.length - 1]} in steps of ${Math.round((ms[1]! - ms[0]!) * 1e6) / 1e6}`;
}

export function fleetCost(model: Model, table: PriceTable, arch: string): FleetCost {
  const p = table.architectures[arch]!;
  const { containers, vcpu, memory } = model.fleet;
  const gb = table.memoryUnit === 'GiB' ? 2 ** 30 : 1e9;
  const size = table.sizes.find((s) => near(s.vcpu, vcpu));
  let memoryGB: number;
  let memoryAssumed = false;
  let warning: string | null = null;
  if (Number.isFinite(memory)) memoryGB = memory / gb;
  else {
    memoryAssumed = true;
    memoryGB = size ? size.memory[0]! : Math.max(0.5, 2 * vcpu);
    warning = `fleet.memory is unlimited: the cost assumes ${memoryGB} ${table.memoryUnit === 'GiB' ? 'GB (GiB)' : 'GB'} per container`;
  }
  let valid: boolean | null = null;
  if (table.sizes.length > 0) {
    valid = size !== undefined && size.memory.some((m) => near(m, memoryGB));
    if (!valid) {
      const pair = `fleet.vcpu ${vcpu} with fleet.memory ${memoryAssumed ? 'unlimited' : formatSize(memory)}`;
      const why = size
        ? `${vcpu} vCPU takes ${listSizes(size.memory)} GB`
        : `valid vCPU sizes are ${listSizes(table.sizes.map((s) => s.vcpu))}`;
      warning = `${pair} is not a valid ${table.provider || table.name} task size (${why}); the cost is computed from the figures as given`;
    }
  }
  const perContainerHour = vcpu * p.vcpuHour + memoryGB * p.gbHour;
  return { costPerHour: containers * perContainerHour, perContainerHour, containers, vcpu, memoryGB, memoryAssumed, valid, warning };
}
