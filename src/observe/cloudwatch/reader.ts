// The CloudWatch export as an --observed file: detected by its JSON keys (MetricDataResults,
// Datapoints), read into observations. Which metric each get-metric-data result is comes from
// the queries file beside it (NAME.queries.json or queries.json), or its Label or Id.
import type { ObservedReader } from '../observation.js';
import { looksLikeExport } from './export-file.js';
import { cloudwatchObservations } from './observations.js';
import { readCloudWatch } from './series.js';

export const cloudwatchReader: ObservedReader = {
  kind: 'cloudwatch',
  detect(_path: string, head: string): boolean {
    return looksLikeExport(head) && !/"MetricDataQueries"\s*:|^\s*\[/.test(head);
  },
  async read(path: string) {
    const data = readCloudWatch([path]);
    // What the observations cannot carry (PartialData, an assumed statistic, series not read) is said here.
    for (const w of [...data.warnings, ...data.unidentified.map((u) => `not read: ${u}`)]) process.stderr.write(`capsim: warning: ${w}\n`);
    return cloudwatchObservations(data).observations.map((o) => o.observation);
  },
};
