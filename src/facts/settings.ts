// The shapes the server facts are given in: a default with its source, the settings whose
// honouring depends on the version, and the defaults both servers share. Kept here, beside the
// facts, so that src/facts/ depends on nothing in src/model/.

export interface Default<T> {
  value: T;
  /** Where the value comes from, for `capsim explain`. */
  source: string;
}

/** capsim's own defaults that both servers share. */
export interface CommonDefaults {
  connectionClose: Default<boolean>;
}

export type HonourSetting = 'maxRequestsDelta' | 'maxRequestsJitter' | 'minWorkerLifetime' | 'reloadOnRss' | 'evilReloadOnRss' | 'forkbombDelay' | 'keepAlive';
