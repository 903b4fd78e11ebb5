// What `capsim page` writes into the page for its script: the model file as given, the inputs,
// and the price table. Shared by the writer (Node) and the page (browser).
import type { PriceTable } from '../experiment/prices.js';
import type { Control } from './controls.js';

export interface PageConfig {
  /** The model file as given on the command line (for the command and the error messages). */
  file: string;
  /** Its text. */
  text: string;
  /** The --set arguments (and simulation options as --set) the page was made with. */
  sets: string[];
  controls: Control[];
  prices: PriceTable | null;
  arch: string;
}

/** The id of the <script type="application/json"> that holds the PageConfig. */
export const CONFIG_ID = 'capsim-config';
/** The id of the <script type="text/plain"> that holds the engine worker's code. */
export const ENGINE_ID = 'capsim-engine';
