import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperimentInputError } from '../../src/experiment/errors.js';
import { loadPriceTable } from '../../src/experiment/price-file.js';
import { checkArch, fleetCost, parsePriceTable } from '../../src/experiment/prices.js';
import { smallModel } from './fixtures.js';

const table = loadPriceTable();
const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('the bundled Fargate table: dated, sourced, x86 and ARM', () => {
  assert.match(table.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(table.source, /aws\.amazon\.com\/fargate\/pricing/);
  assert.equal(table.memoryUnit, 'GiB');
  assert.equal(table.default, 'x86');
  assert.deepEqual(table.architectures['x86'], { vcpuHour: 0.04048, gbHour: 0.004445 });
  assert.deepEqual(table.architectures['arm'], { vcpuHour: 0.03238, gbHour: 0.00356 });
  assert.equal(checkArch(table, undefined), 'x86');
  assert.throws(() => checkArch(table, 'sparc'), ExperimentInputError);
});

test('cost per hour = containers × (vcpu × per vCPU-hour + GiB × per GB-hour)', () => {
  // 1 vCPU / 2 GiB: $0.04048 + 2 × $0.004445 = $0.04937 per task-hour.
  const one = fleetCost(smallModel(['fleet.memory=2GiB']), table, 'x86');
  assert.ok(close(one.costPerHour, 0.04937), String(one.costPerHour));
  assert.equal(one.memoryGB, 2);
  assert.equal(one.valid, true);
  assert.equal(one.warning, null);
  const four = fleetCost(smallModel(['fleet.memory=2GiB', 'fleet.containers=4']), table, 'x86');
  assert.ok(close(four.costPerHour, 4 * 0.04937));
  // 2 vCPU / 4 GiB: $0.09874 per hour (the research notes' worked example).
  assert.ok(close(fleetCost(smallModel(['fleet.vcpu=2', 'fleet.memory=4GiB']), table, 'x86').costPerHour, 0.09874));
  // ARM: 0.5 vCPU / 1 GiB.
  assert.ok(close(fleetCost(smallModel(['fleet.vcpu=0.5', 'fleet.memory=1GiB']), table, 'arm').costPerHour, 0.5 * 0.03238 + 0.00356));
  // Memory is bytes in the model: 2 GB (decimal) is 1.86 GiB, and not a valid Fargate size.
  const dec = fleetCost(smallModel(['fleet.memory=2GB']), table, 'x86');
  assert.ok(close(dec.memoryGB, 2e9 / 2 ** 30));
  assert.equal(dec.valid, false);
});

test('Fargate task sizes: invalid vcpu/memory pairs get a warning naming the valid ones', () => {
  const valid: [number, string][] = [[0.25, '512MiB'], [0.25, '2GiB'], [0.5, '3GiB'], [1, '8GiB'], [2, '16GiB'], [4, '30GiB'], [8, '20GiB'], [16, '120GiB']];
  for (const [vcpu, mem] of valid) {
    const c = fleetCost(smallModel([`fleet.vcpu=${vcpu}`, `fleet.memory=${mem}`]), table, 'x86');
    assert.equal(c.valid, true, `${vcpu} vCPU ${mem}`);
  }
  const invalid: [number, string, RegExp][] = [
    [1, '1GiB', /1 vCPU takes 2, 3, 4, 5, 6, 7 or 8 GB/],
    [0.25, '4GiB', /0\.25 vCPU takes 0\.5, 1 or 2 GB/],
    [4, '31GiB', /4 vCPU takes 8 to 30 in steps of 1 GB/],
    [8, '18GiB', /8 vCPU takes 16 to 60 in steps of 4 GB/],
    [3, '6GiB', /valid vCPU sizes are/],
  ];
  for (const [vcpu, mem, re] of invalid) {
    const c = fleetCost(smallModel([`fleet.vcpu=${vcpu}`, `fleet.memory=${mem}`]), table, 'x86');
    assert.equal(c.valid, false, `${vcpu} vCPU ${mem}`);
    assert.match(c.warning!, re);
    assert.match(c.warning!, /is not a valid AWS Fargate/);
    assert.ok(c.costPerHour > 0);
  }
  // No memory limit: the smallest valid size for the vCPU is assumed, and said.
  const unl = fleetCost(smallModel(['fleet.memory=unlimited']), table, 'x86');
  assert.equal(unl.memoryAssumed, true);
  assert.equal(unl.memoryGB, 2);
  assert.match(unl.warning!, /unlimited/);
});

test('a price table of your own: decimal GB, and errors naming the key', () => {
  const t = parsePriceTable('name: mine\ndate: 2026-01-01\nsource: me\nmemoryUnit: GB\narchitectures: { x86: { vcpuHour: 1, gbHour: 0.5 } }\n', 'mine.yaml');
  const c = fleetCost(smallModel(['fleet.memory=2GB', 'fleet.vcpu=2']), t, 'x86');
  assert.equal(c.costPerHour, 2 * 1 + 2 * 0.5);
  assert.equal(c.valid, null);
  assert.throws(() => parsePriceTable('name: x\ndate: 1\nsource: s\narchitectures: { x86: { vcpuHour: -1, gbHour: 1 } }', 'bad.yaml'), /bad\.yaml: architectures\.x86\.vcpuHour: got -1/);
  assert.throws(() => parsePriceTable('name: x\nsource: s\narchitectures: { x86: { vcpuHour: 1, gbHour: 1 } }', 'bad.yaml'), /bad\.yaml: date: missing/);
  assert.throws(() => loadPriceTable('/nonexistent/prices.yaml'), /cannot read the price table/);
});
