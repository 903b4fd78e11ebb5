// How a request ends: the status the client sees and, when it failed, the one mechanism that
// failed it. Causes are small integers on the hot path and names in every output.

export const STATUSES = ['2xx', '500', '502', '503', '504'] as const;
export type StatusKey = (typeof STATUSES)[number];

export const enum Status {
  Ok = 0,
  AppError = 1, // 500
  BadGateway = 2, // 502
  Unavailable = 3, // 503
  GatewayTimeout = 4, // 504
}

/** Failure causes; each has one status. Index 0 is "none" (a 2xx). */
export const CAUSES = [
  { name: 'ok', status: Status.Ok },
  // a worker got SIGKILL (OOM, harakiri, gunicorn timeout, evil-reload, NO MERCY) with the request in flight
  { name: 'worker-killed', status: Status.BadGateway },
  // the listen (accept) queue was full: refused at once, or reset with tcp_abort_on_overflow
  { name: 'backlog-overflow', status: Status.BadGateway },
  // the balancer could not connect before its connect timeout (SYNs dropped by a full queue)
  { name: 'connect-timeout', status: Status.GatewayTimeout },
  // no response within the balancer's idle timeout
  { name: 'idle-timeout', status: Status.GatewayTimeout },
  // the target closed an idle kept-alive connection just as the balancer reused it
  { name: 'keepalive-race', status: Status.BadGateway },
  // Classic ELB surge queue (1024) full: spillover
  { name: 'surge-queue-full', status: Status.Unavailable },
  // no healthy (or registered) target to route to
  { name: 'no-healthy-target', status: Status.Unavailable },
  // SQLAlchemy QueuePool checkout timed out: the app answers 500
  { name: 'pool-timeout', status: Status.AppError },
  // MySQL refused the connection (error 1040): the app answers 500
  { name: 'db-max-connections', status: Status.AppError },
  // a recycling worker exited at its mercy deadline with the request in flight (uWSGI gevent's
  // time bomb calls exit(); gunicorn's graceful_timeout ends in server.stop(timeout=1)): no SIGKILL
  { name: 'reload-mercy', status: Status.BadGateway },
  // the request went out on a connection the server was closing after its previous response
  // (uWSGI http-socket answers HTTP/1.1 without `Connection: close`, then closes)
  { name: 'close-race', status: Status.BadGateway },
  // nginx: every server is tried already or skipped after max_fails failures within fail_timeout:
  // "no live upstreams", 502 (src/http/ngx_http_upstream.c ngx_http_upstream_connect)
  { name: 'no-live-upstream', status: Status.BadGateway },
  // the balancer's own kernel gave up on its SYNs (Linux tcp_syn_retries: connect() fails with
  // ETIMEDOUT after ~11 s on Linux >= 6.6) before its connect timeout: nginx "connect() failed
  // (110: Connection timed out)", NGX_HTTP_UPSTREAM_FT_ERROR, 502
  { name: 'connect-failed', status: Status.BadGateway },
] as const;

export type CauseName = (typeof CAUSES)[number]['name'];

export const enum Cause {
  Ok = 0,
  WorkerKilled = 1,
  BacklogOverflow = 2,
  ConnectTimeout = 3,
  IdleTimeout = 4,
  KeepaliveRace = 5,
  SurgeQueueFull = 6,
  NoHealthyTarget = 7,
  PoolTimeout = 8,
  DbMaxConnections = 9,
  ReloadMercy = 10,
  CloseRace = 11,
  NoLiveUpstream = 12,
  ConnectFailed = 13,
}

/**
 * Causes in which the target closed (FIN or RST) a connection with the balancer's request
 * outstanding. An ALB documents all of them as 502 ("The target closed the connection with a TCP
 * RST or a TCP FIN while the load balancer had an outstanding request to the target"); a Classic
 * ELB lists "Registered instances closing the connection to Elastic Load Balancing" under 504
 * (its troubleshooting page, HTTP 504 Cause 2), and its only documented 502 is an unparsable
 * response. See docs/model.md, "Statuses by balancer".
 */
export const TARGET_CLOSED_CAUSES: readonly number[] = [Cause.WorkerKilled, Cause.KeepaliveRace, Cause.ReloadMercy, Cause.CloseRace];

/** The status each cause gets from this kind of balancer (index: cause). */
export function causeStatuses(balancer: 'elb' | 'alb' | 'nginx'): Int32Array {
  const statuses = Int32Array.from(CAUSES, (c) => c.status);
  if (balancer === 'elb') for (const c of TARGET_CLOSED_CAUSES) statuses[c] = Status.GatewayTimeout;
  return statuses;
}

/**
 * Why a worker was SIGKILLed (workers.sigkills breaks kills down by these): the OOM killer,
 * uWSGI harakiri, gunicorn's timeout (SIGABRT, then SIGKILL), uWSGI evil-reload-on-rss, and
 * uWSGI's NO MERCY (a cursed worker still alive at its mercy deadline: one whose exit hangs).
 * A gevent worker's mercy exit is not one of them: it is counted in workers.mercyExits.
 */
export const KILL_REASONS = ['no-mercy', 'harakiri', 'timeout', 'oom', 'evil-reload'] as const;
export type KillReason = (typeof KILL_REASONS)[number];
