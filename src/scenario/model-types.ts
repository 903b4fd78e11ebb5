// The resolved model: what the scenario layer hands to the model layer after parsing,
// applying overrides and defaults, and validating. Every unit is gone: times in seconds,
// rates per second, sizes in bytes, distributions as DistSpec. Every optional setting of
// the real software is filled in with that software's default for the named version
// (see src/model/server/profiles.ts), so the model layer never guesses.
import type { PoolName, PoolParts } from '../facts/aws.js';
import type { DistSpec } from '../kernel/distribution-spec.js';

export interface Model {
  name: string;
  simulation: Simulation;
  traffic: Traffic;
  balancer: Balancer;
  fleet: Fleet;
}

export interface Simulation {
  duration: number; // s, after warmup
  warmup: number; // s, discarded at the start of each replication
  replications: number;
  seed: number;
}

/** Exactly one of rate, profile and users is set. */
export interface Traffic {
  /** Constant Poisson rate, requests per second. */
  rate?: number;
  /** Piecewise-linear rate (non-homogeneous Poisson), repeating every `period`. */
  profile?: RateProfile;
  /** A closed population: each user sends a request, waits for its answer, thinks, repeats. */
  users?: ClosedUsers;
  /** Extra arrivals in bursts, on top of the above. */
  bursts?: Bursts;
  /** Arrivals at the times an access log recorded (the file resolved against the model's folder). */
  replay?: Replay;
  endpoints: Endpoint[];
}

export interface Replay {
  file: string;
  /** The log format (see src/logs/formats.ts), or auto. */
  format: 'auto' | 'alb' | 'elb' | 'nginx' | 'gunicorn' | 'uwsgi';
}

export interface RateProfile {
  /** Points (time since start of period in s, rate per second), times ascending from 0. */
  points: { at: number; rate: number }[];
  /** The profile repeats with this period (s); after the last point the rate goes linearly back to the first point's. */
  period: number;
  /** Every point's rate is multiplied by this ("what if traffic grew by 30%": 1.3). */
  scale: number;
}

export interface ClosedUsers {
  count: number;
  think: DistSpec; // s
}

export interface Bursts {
  /** Time between burst starts. */
  every: DistSpec;
  /** Requests per burst. */
  size: number;
  /** Burst requests arrive uniformly over this time (s). */
  over: number;
}

export interface Endpoint {
  name: string;
  weight: number;
  phases: Phase[];
}

export type PhaseKind = 'cpu' | 'wait' | 'db';
export interface Phase {
  kind: PhaseKind;
  /** cpu: CPU work; wait: time the request waits on I/O; db: the DB server's time for one query. */
  dist: DistSpec;
}

export type BalancerKind = 'elb' | 'alb' | 'nginx';
/** Which idle target connection a request takes: most recently idle, oldest, or any. */
export type ReuseOrder = 'lifo' | 'fifo' | 'random';
export type Routing = 'least-outstanding' | 'round-robin';

export interface Balancer {
  kind: BalancerKind;
  /** elb (Classic HTTP listener): least-outstanding; alb: round-robin (its default). */
  routing: Routing;
  /** No response within this time: 504 idle-timeout. */
  idleTimeout: number; // s
  /** A connection to a target not established within this: 504 connect-timeout. */
  connectTimeout: number; // s
  /** Reuse idle connections to targets (HTTP keep-alive). */
  keepAlive: boolean;
  /** Which idle connection to a target a request takes. */
  reuse: ReuseOrder;
  /**
   * The balancer's nodes (ALB: one per enabled Availability Zone, at least 2). Each node has its
   * own connections to the targets and its own round robin; clients spread over the nodes.
   */
  nodes: number;
  /** How the balancer treats a kept-alive target connection (src/facts/aws.ts, nginx.ts). */
  pool: BalancerPool;
  /** nginx only: proxy_next_upstream (which failures go to the next server; [] = off). */
  nextUpstream: ('error' | 'timeout')[];
  /** nginx only: proxy_next_upstream_tries (0 = as many as there are servers). */
  nextUpstreamTries: number;
  /** nginx only: server max_fails (0 = never skip) and fail_timeout, s. */
  maxFails: number;
  failTimeout: number;
  /** Classic ELB surge queue (requests waiting for a connection); 0 for ALB (none). */
  surgeQueue: number;
  /** Round-trip time between balancer and targets, s. */
  rtt: number;
  /**
   * Time from the balancer's connection being up (the SYN-ACK in) to its request's first byte
   * leaving: its own event-loop latency. Under TCP_DEFER_ACCEPT (uWSGI) the connection enters
   * the accept queue only when that byte arrives, so this widens the handshake's overflow window.
   */
  sendDelay: number; // s
  /**
   * How the balancer's TCP stack retransmits a SYN that a full accept queue dropped: `linux`
   * (6.6+: 1 s linear ×4, then doubling, on the 250 Hz timer wheel, so drops come back in
   * bursts; connect() fails after tcp_syn_retries) or `rfc6298` (1 s doubling, at exact times).
   */
  synRetransmit: 'linux' | 'rfc6298';
  healthCheck: HealthCheck;
  /** ALB: when every target is unhealthy, route to all of them. */
  failOpen: boolean;
}

/** The pool's named parts, and the profile they came from (`balancer.pool`). */
export interface BalancerPool extends PoolParts {
  profile: PoolName;
}

export interface HealthCheck {
  enabled: boolean;
  interval: number; // s
  timeout: number; // s
  unhealthyThreshold: number;
  healthyThreshold: number;
  /** CPU work of the health-check endpoint. */
  work: DistSpec;
}

export type Overflow = 'refuse' | 'linux';

export interface Fleet {
  containers: number;
  vcpu: number;
  /** Memory limit per container, bytes (Infinity = none). */
  memory: number;
  /** net.core.somaxconn: caps the listen backlog. */
  somaxconn: number;
  overflow: Overflow;
  /** net.ipv4.tcp_abort_on_overflow. */
  tcpAbortOnOverflow: boolean;
  /** net.ipv4.tcp_synack_retries. */
  synackRetries: number;
  server: Server;
  db: Db;
}

export type ServerKind = 'uwsgi' | 'gunicorn';
export type WorkerMode = 'sync' | 'gevent' | 'threads';

export interface Server {
  kind: ServerKind;
  version: string;
  workers: number;
  mode: WorkerMode;
  /** gevent async cores / worker_connections, or threads per worker; 1 for sync. */
  concurrency: number;
  /** Listen backlog as configured (Infinity = unlimited); the kernel caps it at somaxconn. */
  backlog: number;
  maxRequests: number; // 0 = never recycle
  /** uWSGI >= 2.0.29: worker i recycles after maxRequests + (i-1)·delta. Ignored before. */
  maxRequestsDelta: number;
  /** gunicorn: each worker recycles after maxRequests + randint(0, jitter). */
  maxRequestsJitter: number;
  /** uWSGI: max-requests / reload-on-rss are not honoured before a worker is this old. */
  minWorkerLifetime: number; // s
  /** uWSGI worker-reload-mercy / gunicorn graceful_timeout: a recycling worker still busy after this is killed. */
  reloadMercy: number; // s
  /** uWSGI harakiri / gunicorn timeout; 0 = off. */
  harakiri: number; // s
  /** Server-side idle keep-alive; 0 = close the connection after each response. */
  keepAlive: number; // s
  /** uWSGI: http-socket (2.0: closes after every response without saying so) or http11-socket (keep-alive, >= 2.0.16). */
  socket: 'http-socket' | 'http11-socket';
  /** The response says `Connection: close` (uWSGI add-header): no balancer keeps the connection. */
  connectionClose: boolean;
  /**
   * A close-after server's post-response work (CPU) from a response's last write to the FIN of
   * the close that follows it (measured per mode and driver: src/facts/uwsgi.ts).
   */
  closeLag: DistSpec;
  /**
   * TCP_DEFER_ACCEPT on the listen socket (uWSGI's default): the kernel drops the handshake's bare
   * final ACK and queues the connection when its first data segment arrives.
   */
  deferAccept: boolean;
  /** Overrides the whole exit-to-accepting gap with a distribution (null: modelled from its parts). */
  respawn: DistSpec | null;
  /** uWSGI master loop period: an exited worker is noticed on its next turn. 0 for gunicorn (SIGCHLD). */
  masterCycle: number; // s
  /** fork() of a new worker. */
  fork: DistSpec;
  /** Import of the app in a new worker (uWSGI lazy-apps, gunicorn without preload). */
  appImport: DistSpec;
  /** Is the app loaded once in the master before fork (uWSGI default; gunicorn --preload)? */
  preload: boolean;
  /** Time a worker takes to exit once it has finished its requests (atexit handlers, agent threads). */
  exitDelay: DistSpec;
  /** uWSGI: a worker respawned within this of its last spawn makes the master sleep forkbombDelay. */
  forkbombDelay: number; // s
  /** uWSGI reload-on-rss (graceful recycle), bytes; 0 = off. */
  reloadOnRss: number;
  /** uWSGI evil-reload-on-rss (master SIGKILLs), bytes; 0 = off. */
  evilReloadOnRss: number;
  /** Resident memory of a worker: at spawn, and growth per request served. */
  /** Memory, bytes. `shared`: the master and the pages preforked workers share copy-on-write,
   *  counted once per container. Per worker: `base` (its own pages at spawn), growth
   *  `perRequest` served (kept until it exits), and `perInFlight` held by each request in it
   *  (its objects; freed when the request ends). */
  memory: { shared: number; base: number; perRequest: number; perInFlight: number };
  /** Which worker blocked in accept() gets the next connection: the most recently idle, the
   *  longest idle, or always the lowest-numbered idle one (uWSGI's stable favourite). */
  acceptOrder: 'lifo' | 'fifo' | 'favourite';
  /** Start every worker fresh (nothing served, just born) instead of at a uniform point of its
   *  recycling cycle, as a fleet that has been running is. */
  startFresh: boolean;
}

export type DbDriver = 'mysqlclient' | 'pymysql';

export interface Db {
  driver: DbDriver;
  /** CPU per query spent in the client driver with mysqlclient. */
  driverCpu: DistSpec;
  /** PyMySQL's CPU per query as a multiple of mysqlclient's. */
  pymysqlCpuFactor: number;
  /** SQLAlchemy QueuePool per worker process; null = a new connection per request (Django CONN_MAX_AGE=0). */
  pool: { size: number; maxOverflow: number; timeout: number } | null;
  /** Time to open a new connection to MySQL. */
  connect: DistSpec;
  /** MySQL max_connections. */
  maxConnections: number;
}
