// Side effect only: lets the model read replayed logs (src/model/traffic/replay-loader.ts) in the
// Node processes that run replications (the CLI, its worker threads, tests).
import { setReplayLoader } from '../model/traffic/replay-loader.js';
import { replayArrivals } from './replay-arrivals.js';
import type { FormatName } from './formats.js';

setReplayLoader((file, format, names) => replayArrivals(file, format as FormatName | 'auto', names));
