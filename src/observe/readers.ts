// The readers of --observed files, tried in order: the first whose detect() accepts a file reads it.
// (The `infer` branch adds the observations-file and access-log readers; the lead merges the lists.)
import { cloudwatchReader } from './cloudwatch/reader.js';
import type { ObservedReader } from './observation.js';

export const OBSERVED_READERS: ObservedReader[] = [cloudwatchReader];
