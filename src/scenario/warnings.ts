// One-line warnings about a resolved model: settings the named server version ignores, and
// settings that contradict each other in ways that cost requests. Not errors: the real software
// starts with these settings, so capsim simulates them as they are. Pure: no Node-only imports.
import { UWSGI } from '../facts/uwsgi.js';
import { connectionFate, honours } from '../model/server/profiles.js';
import { MODELLED_VERSIONS, atLeast, newerThanModelled } from '../model/server/version.js';
import { heavyTailWarnings } from './heavy-tails.js';
import { formatDuration, formatSize } from './format.js';
import type { Model, ServerKind } from './model-types.js';
import { userSet, type Provenance } from './provenance.js';

const SERVER_NAME: Record<ServerKind, string> = { uwsgi: 'uWSGI', gunicorn: 'gunicorn' };

/** uWSGI-only settings and their uWSGI option names. */
const UWSGI_ONLY = [
  ['minWorkerLifetime', 'min-worker-lifetime'],
  ['reloadOnRss', 'reload-on-rss'],
  ['evilReloadOnRss', 'evil-reload-on-rss'],
  ['forkbombDelay', 'forkbomb-delay'],
] as const;

/** A change a warning names as its fix: a `--set PATH=VALUE` (capsim size tries it as a candidate). */
export interface WarningFix {
  path: string;
  /** As --set takes it. */
  value: string;
}

export interface ModelWarning {
  text: string;
  /** The settings that remove the warning's cause, when the warning names one. */
  fix?: WarningFix[];
}

/** The warnings' text (see modelWarningItems). */
export function modelWarnings(model: Model, provenance?: Provenance): string[] {
  return modelWarningItems(model, provenance).map((w) => w.text);
}

/** Every fix the model's warnings name, once each, in the warnings' order. */
export function warningFixes(model: Model, provenance?: Provenance): { fix: WarningFix; warning: string }[] {
  const seen = new Set<string>();
  const out: { fix: WarningFix; warning: string }[] = [];
  for (const w of modelWarningItems(model, provenance)) {
    for (const f of w.fix ?? []) {
      const key = `${f.path}=${f.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ fix: f, warning: w.text });
    }
  }
  return out;
}

/**
 * Warnings for `model`, in a fixed order. `provenance` tells which values the user gave; a
 * setting a version ignores is only reported when the user gave it a value other than 0
 * (without `provenance`, whenever it is not 0).
 */
export function modelWarningItems(model: Model, provenance?: Provenance): ModelWarning[] {
  const out: ModelWarning[] = [];
  const say = (text: string, fix?: WarningFix[]): void => void out.push(fix && fix.length > 0 ? { text, fix } : { text });
  const { balancer, fleet } = model;
  const s = fleet.server;
  const who = `${SERVER_NAME[s.kind]} ${s.version}`;
  // Without provenance every non-zero value counts as given.
  const given = (key: string, value: number): boolean =>
    value !== 0 && (provenance === undefined || userSet(provenance, `fleet.server.${key}`));

  if (newerThanModelled(s.kind, s.version)) {
    say(`${who} is newer than the releases capsim's ${SERVER_NAME[s.kind]} defaults and mechanisms were read from (up to ${MODELLED_VERSIONS[s.kind].newest}): simulated with the behaviour of ${MODELLED_VERSIONS[s.kind].newest}; check its changelog`);
  }
  for (const t of heavyTailWarnings(model)) say(t);

  // ---- settings this version ignores
  if (given('maxRequestsDelta', s.maxRequestsDelta) && !honours(s.kind, s.version, 'maxRequestsDelta', s.mode).ok) {
    say(
      s.kind === 'uwsgi'
        ? `${who} ignores maxRequestsDelta (max-requests-delta arrived in ${UWSGI.maxRequestsDeltaSince}): every worker recycles after exactly maxRequests`
        : `${who} ignores maxRequestsDelta (a uWSGI setting; gunicorn spreads recycles with maxRequestsJitter)`,
    );
  }
  if (given('maxRequestsJitter', s.maxRequestsJitter) && !honours(s.kind, s.version, 'maxRequestsJitter', s.mode).ok) {
    say(`${who} ignores maxRequestsJitter (a gunicorn setting; uWSGI has max-requests-delta from ${UWSGI.maxRequestsDeltaSince}): every worker recycles after exactly maxRequests`);
  }
  for (const [key, option] of UWSGI_ONLY) {
    if (given(key, s[key]) && !honours(s.kind, s.version, key, s.mode).ok) {
      say(`${who} ignores ${key} (${option} is a uWSGI setting)`);
    }
  }
  const keepAliveHonoured = honours(s.kind, s.version, 'keepAlive', s.mode, s.socket);
  if (s.keepAlive > 0 && !keepAliveHonoured.ok) {
    say(`${who} ignores keepAlive ${formatDuration(s.keepAlive)} in ${s.mode} mode (${keepAliveHonoured.why}): every connection is closed after its response`);
  }

  // ---- the balancer's connections
  const fate = connectionFate(s);
  if (balancer.keepAlive && fate === 'close-after') {
    say(
      `${who} ${s.socket} answers HTTP/1.1 without \`Connection: close\` and closes the connection after every response; ` +
        `the ${balancer.kind === 'elb' ? 'Classic ELB' : balancer.kind === 'alb' ? 'ALB' : 'nginx (keepalive)'} keeps it as reusable: a request sent on it before the FIN arrives meets the close: ` +
        `${balancer.kind === 'elb' ? '504' : '502'} close-race${s.mode === 'gevent' ? ' (in gevent mode the close waits for the hub, longer while a mysqlclient query holds it)' : ''}; ` +
        (s.mode === 'gevent'
          ? 'set fleet.server.connectionClose (add-header = Connection: close)'
          : `set fleet.server.connectionClose (add-header = Connection: close)${honours(s.kind, s.version, 'keepAlive', s.mode, 'http11-socket').ok ? ' or socket http11-socket' : ''}`),
      // http11-socket is no fix for gevent (uWSGI's gevent worker crashes on a kept connection:
      // unbit/uwsgi#1964), nor for a version without it.
      [
        { path: 'fleet.server.connectionClose', value: 'true' },
        ...(s.mode !== 'gevent' && s.kind === 'uwsgi' && atLeast(s.version, UWSGI.http11SocketSince) ? [{ path: 'fleet.server.socket', value: 'http11-socket' }] : []),
      ],
    );
  }
  if (s.kind === 'uwsgi' && s.mode === 'gevent' && s.socket === 'http11-socket') {
    say(
      `${who} http11-socket in gevent mode: on the testbed (uWSGI 2.0.21, gevent 22.10) the first request on a kept connection killed the worker ` +
        "(AttributeError: 'gevent.libev.corecext.io' object has no attribute 'stop' in uwsgi_gevent_main, then SIGABRT) and the workers soon stopped accepting (99.7% of requests 504); " +
        'the bug is unbit/uwsgi#1964 (every 2.0.16-2.0.30 with --gevent); capsim simulates a working keep-alive here: do not rely on it; use fleet.server.connectionClose instead',
    );
  }
  const preopen = balancer.pool.preopen;
  if (balancer.kind === 'elb' && preopen > 0 && s.kind === 'gunicorn' && s.mode === 'sync') {
    // benoitc/gunicorn#1194 ("Gunicorn sync workers time out on docker + AWS": only behind an ELB
    // with an HTTP listener; gone with the gevent worker or a TCP listener), #2652, and
    // cloudavail's pre-open posts (AWS support can disable pre-open): src/facts/gunicorn.ts, aws.ts.
    say(
      `${who} sync workers behind a Classic ELB that pre-opens connections (balancer.pool.preopen ${preopen} per node and target): ` +
        'a worker that accepts a pre-opened connection blocks in recv until a request comes on it' +
        (s.harakiri > 0
          ? `, and when the node sends nothing on it for timeout ${formatDuration(s.harakiri)} the arbiter kills the worker (WORKER TIMEOUT, SIGKILL: benoitc/gunicorn#1194, #2652); `
          : ' (timeout 0: held until the request comes or the node closes the connection at its idle timeout); ') +
        'use a gevent or gthread worker (fleet.server.mode gevent or threads), a TCP listener on the ELB (not modelled by capsim), or ask AWS support to disable pre-open (balancer.pool.preopen 0)',
      [
        { path: 'fleet.server.mode', value: 'gevent' },
        { path: 'fleet.server.mode', value: 'threads' },
        { path: 'balancer.pool.preopen', value: '0' },
      ],
    );
  }
  if (balancer.kind === 'nginx' && !balancer.keepAlive && provenance !== undefined && userSet(provenance, 'balancer.reuse')) {
    say('balancer.reuse is set but nginx without upstream keepalive (balancer.keepAlive false) never reuses a connection');
  }
  if (balancer.kind === 'nginx' && balancer.healthCheck.enabled) {
    say('balancer.healthCheck.enabled with kind nginx: open-source nginx has no active health checks (NGINX Plus only); capsim runs them anyway');
  }

  // ---- contradictions
  if (balancer.keepAlive && s.keepAlive > 0 && keepAliveHonoured.ok && s.keepAlive <= balancer.idleTimeout) {
    const rel = s.keepAlive < balancer.idleTimeout ? 'is shorter than' : 'equals';
    say(
      `fleet.server.keepAlive ${formatDuration(s.keepAlive)} ${rel} balancer.idleTimeout ${formatDuration(balancer.idleTimeout)}: ` +
        'the balancer may reuse a connection the server is closing: 502 keepalive-race; set keepAlive above idleTimeout',
    );
  }
  if (s.kind === 'gunicorn' && Number.isFinite(s.backlog) && s.backlog > fleet.somaxconn) {
    say(`fleet.server.backlog ${s.backlog} is above fleet.somaxconn ${fleet.somaxconn}: the kernel silently caps the accept queue at ${fleet.somaxconn}`);
  }
  if (s.harakiri > 0 && s.harakiri >= balancer.idleTimeout) {
    const name = s.kind === 'uwsgi' ? 'harakiri' : 'timeout';
    say(
      `fleet.server.harakiri ${formatDuration(s.harakiri)} is not shorter than balancer.idleTimeout ${formatDuration(balancer.idleTimeout)}: ` +
        `the balancer answers 504 idle-timeout before ${SERVER_NAME[s.kind]}'s ${name} kills the request`,
    );
  }
  const hasDb = model.traffic.endpoints.some((e) => e.phases.some((p) => p.kind === 'db'));
  if (s.mode === 'gevent' && fleet.db.driver === 'mysqlclient' && hasDb) {
    say(
      'fleet.db.driver mysqlclient in gevent mode: mysqlclient is a C extension: each query blocks the whole gevent hub, ' +
        'so a worker runs one query at a time while its other requests wait (pymysql yields, at more CPU per query)',
    );
  }
  if (hasDb) {
    const perWorker = fleet.db.pool ? fleet.db.pool.size + fleet.db.pool.maxOverflow : s.concurrency;
    const how = fleet.db.pool
      ? `pool size ${fleet.db.pool.size} + maxOverflow ${fleet.db.pool.maxOverflow}`
      : `no pool: one connection per request in flight, concurrency ${s.concurrency}`;
    const total = fleet.containers * s.workers * perWorker;
    if (total > fleet.db.maxConnections) {
      say(
        `up to ${fleet.containers} containers × ${s.workers} workers × ${perWorker} connections (${how}) = ${total} MySQL connections, ` +
          `above fleet.db.maxConnections ${fleet.db.maxConnections}: MySQL may refuse: 500 db-max-connections`,
      );
    }
  }
  // Memory: the master and the pages the workers share (counted once), each worker's own pages,
  // what its requests in flight hold, and its growth up to its recycle.
  const mem = s.memory;
  const shared = mem.shared > 0 ? `fleet.server.memory.shared ${formatSize(mem.shared)} + ` : '';
  const atStart = mem.shared + s.workers * mem.base;
  const limit = `fleet.memory ${formatSize(fleet.memory)}`;
  if (atStart > fleet.memory) {
    say(
      `${shared}${s.workers} workers × fleet.server.memory.base ${formatSize(mem.base)} = ${formatSize(atStart)} is above ${limit}: ` +
        'the container runs out of memory at start: the OOM killer SIGKILLs a worker, again at every respawn',
    );
  } else {
    const full = mem.shared + s.workers * (mem.base + s.concurrency * mem.perInFlight);
    if (mem.perInFlight > 0 && full > fleet.memory) {
      say(
        `${shared}${s.workers} workers × (memory.base ${formatSize(mem.base)} + concurrency ${s.concurrency} × memory.perInFlight ${formatSize(mem.perInFlight)}) = ${formatSize(full)} ` +
          `is above ${limit}: when the workers fill up, the OOM killer SIGKILLs the largest one (signal 9) and its requests fail`,
      );
    }
    const grown = mem.shared + s.workers * (mem.base + (s.maxRequests > 0 ? s.maxRequests : Infinity) * mem.perRequest);
    if (mem.perRequest > 0 && grown > fleet.memory) {
      say(
        s.maxRequests > 0
          ? `${shared}${s.workers} workers × (memory.base ${formatSize(mem.base)} + maxRequests ${s.maxRequests} × memory.perRequest ${formatSize(mem.perRequest)}) = ${formatSize(grown)} ` +
              `is above ${limit}: workers can outgrow the container before they recycle: OOM kills (SIGKILL)`
          : `fleet.server.memory.perRequest ${formatSize(mem.perRequest)} with no recycling (maxRequests 0): the workers grow until the OOM killer SIGKILLs them`,
      );
    }
  }
  if (s.mode === 'gevent' && s.maxRequests > 0 && s.maxRequests < s.concurrency) {
    say(
      `fleet.server.maxRequests ${s.maxRequests} is below fleet.server.concurrency ${s.concurrency} in gevent mode: ` +
        'a worker recycles before it can fill its async cores, so recycles (and their drains) come very often',
    );
  }
  return out;
}
