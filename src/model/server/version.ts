// Server version strings ("2.0.15", "2.0", "20.1.0") compared numerically, part by part;
// a missing part counts as 0, so "2.0" is taken as 2.0.0 (the oldest 2.0 release).

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const atLeast = (version: string, min: string): boolean => compareVersions(version, min) >= 0;

// Which versions capsim models. uWSGI: the 2.0 series (2.1 was never released as stable), its
// defaults and mechanisms read from 2.0.15 to 2.0.30 (docs/model.md). gunicorn: 19.0 and later
// (the arbiter and workers of today's code; 0.x to 18 predate max_requests_jitter and more), read
// from 20.1 to 23.0. A version outside the series is an error; a newer release than capsim's
// sources is simulated as the newest one it knows, with a warning (scenario/warnings.ts).
export const MODELLED_VERSIONS = {
  uwsgi: { name: 'uWSGI', series: 'a uWSGI 2.0 release (2.0, 2.0.1 … 2.0.30)', example: '"2.0.15"', newest: '2.0.30' },
  gunicorn: { name: 'gunicorn', series: 'a gunicorn release from 19.0 on', example: '"20.1.0"', newest: '23.0.0' },
} as const;

const VERSION_FORM = /^\d+\.\d+(\.\d+)?$/;

/** Why `version` is not a version of `kind` capsim models, or undefined when it is. */
export function versionProblem(kind: 'uwsgi' | 'gunicorn', version: string): string | undefined {
  const m = MODELLED_VERSIONS[kind];
  if (!VERSION_FORM.test(version)) return `not a version number such as ${m.example}`;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  if (kind === 'uwsgi' && !(major === 2 && minor === 0)) {
    return `capsim models the uWSGI 2.0 series${major >= 19 ? '; is it a gunicorn version? (fleet.server.kind: gunicorn)' : ''}`;
  }
  if (kind === 'gunicorn' && major < 19) {
    return `capsim models gunicorn from 19.0 on${major === 2 ? '; is it a uWSGI version? (fleet.server.kind: uwsgi)' : ''}`;
  }
  return undefined;
}

/** Is `version` newer than the newest release capsim's sources cover? */
export function newerThanModelled(kind: 'uwsgi' | 'gunicorn', version: string): boolean {
  return compareVersions(version, MODELLED_VERSIONS[kind].newest) > 0;
}
