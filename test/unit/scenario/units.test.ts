import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnitError, parseCount, parseDuration, parseRate, parseSize } from '../../../src/scenario/units.js';

const close = (actual: number, expected: number, rel = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} is not ${expected}`);

function unitError(fn: () => unknown, pattern: RegExp): UnitError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UnitError, `expected a UnitError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return e;
  }
  return assert.fail('expected a UnitError');
}

test('durations in every unit come out in seconds', () => {
  const cases: Array<[string | number, number]> = [
    ['250ms', 0.25],
    ['1.5s', 1.5],
    ['5m', 300],
    ['5min', 300],
    ['1h', 3600],
    ['1d', 86400],
    ['10us', 10e-6],
    ['10µs', 10e-6],
    ['100ns', 100e-9],
    ['30sec', 30],
    [' 250 ms ', 0.25],
    ['0', 0],
    [0, 0],
    ['0s', 0],
  ];
  for (const [text, seconds] of cases) close(parseDuration(text), seconds);
});

test('bad durations name the expected form', () => {
  const form = /expected a duration such as 250ms, 30s, 5m or 1h$/;
  assert.equal(unitError(() => parseDuration(5), form).message, '5 has no unit; expected a duration such as 250ms, 30s, 5m or 1h');
  unitError(() => parseDuration('5'), /"5" has no unit/);
  unitError(() => parseDuration('4 parsecs'), /unknown time unit "parsecs"/);
  unitError(() => parseDuration('-1s'), /negative/);
  unitError(() => parseDuration('soon'), form);
  unitError(() => parseDuration(''), form);
  const e = unitError(() => parseDuration('1 fortnight'), form);
  assert.equal(e.expected, 'a duration such as 250ms, 30s, 5m or 1h');
});

test('rates come out per second', () => {
  close(parseRate('19k/min'), 19000 / 60);
  close(parseRate('317/s'), 317);
  close(parseRate('4/s'), 4);
  close(parseRate('100/h'), 100 / 3600);
  close(parseRate('2.5/sec'), 2.5);
  close(parseRate('1M/d'), 1e6 / 86400);
  close(parseRate(' 12 / min '), 0.2);
});

test('bad rates name the expected form', () => {
  unitError(() => parseRate(4), /4 has no time unit; expected a rate such as 19k\/min, 317\/s or 100\/h/);
  unitError(() => parseRate('4'), /has no time unit/);
  unitError(() => parseRate('4/fortnight'), /unknown time unit "fortnight"/);
  unitError(() => parseRate('4G/s'), /expected a rate/);
  unitError(() => parseRate('-3/s'), /negative/);
});

test('sizes come out in bytes', () => {
  assert.equal(parseSize('2GiB'), 2 * 1024 ** 3);
  assert.equal(parseSize('512MiB'), 512 * 1024 ** 2);
  assert.equal(parseSize('8KiB'), 8192);
  assert.equal(parseSize('1TiB'), 1024 ** 4);
  assert.equal(parseSize('2GB'), 2e9);
  assert.equal(parseSize('500MB'), 5e8);
  assert.equal(parseSize('64KB'), 64000);
  assert.equal(parseSize('123B'), 123);
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize(4096), 4096);
  assert.equal(parseSize('1.5KiB'), 1536);
});

test('bad sizes name the expected form', () => {
  unitError(() => parseSize('2GiG'), /unknown size unit "GiG".*expected a size such as 2GiB/);
  unitError(() => parseSize('1.5B'), /not a whole number of bytes/);
  unitError(() => parseSize('-1KB'), /negative/);
  unitError(() => parseSize('lots'), /expected a size/);
});

test('counts are whole numbers, with k and M suffixes', () => {
  assert.equal(parseCount(8), 8);
  assert.equal(parseCount('8'), 8);
  assert.equal(parseCount('5k'), 5000);
  assert.equal(parseCount('1.2M'), 1_200_000);
  assert.equal(parseCount(0), 0);
  unitError(() => parseCount(2.5), /not a whole number; expected a whole number >= 0/);
  unitError(() => parseCount('1.5'), /not a whole number/);
  unitError(() => parseCount('1.2345k'), /not a whole number/);
  unitError(() => parseCount(-2), /negative/);
  unitError(() => parseCount('many'), /expected a whole number/);
});
