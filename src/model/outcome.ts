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
  // a worker got SIGKILL (mercy, harakiri, timeout, OOM, evil-reload) with the request in flight
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
}

/** Why a worker was SIGKILLed (workers.sigkills breaks kills down by these). */
export const KILL_REASONS = ['mercy', 'harakiri', 'timeout', 'oom', 'evil-reload'] as const;
export type KillReason = (typeof KILL_REASONS)[number];
