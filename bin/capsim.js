#!/usr/bin/env node
// Entry point for `npx capsim`. `npm run build` (which `npm ci` runs through `prepare`) bundles
// the CLI into one file, and one file starts in half the time of ~150 modules; see load-bundle.js.
import { loadBundle } from './load-bundle.js';

loadBundle();
