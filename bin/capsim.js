#!/usr/bin/env node
// Entry point for `npx capsim`. The CLI is bundled into one file by `npm run build` (which
// `npm ci` runs through `prepare`): one file starts in half the time of ~150 modules.
import '../dist/capsim.mjs';
