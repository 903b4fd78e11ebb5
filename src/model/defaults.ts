// Defaults of the balancer, the container and the database, with their sources.
import type { DistSpec } from '../kernel/distribution-spec.js';
import { LINUX } from '../facts/linux.js';
import { NGINX } from '../facts/nginx.js';
import { AWS, type PoolName } from '../facts/aws.js';
import type { BalancerKind, ReuseOrder } from '../scenario/model-types.js';

const c = (value: number): DistSpec => ({ kind: 'const', value });

export function balancerDefaults(kind: BalancerKind) {
  if (kind === 'nginx') return nginxDefaults();
  const elb = kind === 'elb';
  return {
    routing: {
      value: elb ? ('least-outstanding' as const) : ('round-robin' as const),
      source: elb ? 'Classic ELB: least outstanding requests for HTTP listeners' : 'ALB default routing: round robin',
    },
    idleTimeout: AWS.idleTimeout,
    connectTimeout: elb ? AWS.elbConnectTimeout : AWS.albConnectTimeout,
    keepAlive: AWS.keepAlive,
    reuse: AWS.reuseOrder as { value: ReuseOrder; source: string },
    nodes: elb ? AWS.elbNodes : AWS.albNodes,
    pool: { value: kind as PoolName, source: `the ${elb ? 'Classic ELB' : 'ALB'}'s own (src/facts/aws.ts)` },
    nextUpstream: { value: [] as ('error' | 'timeout')[], source: `${elb ? 'Classic ELB' : 'ALB'}: no documented retry of a request on another target` },
    nextUpstreamTries: { value: 0, source: 'nginx only' },
    maxFails: { value: 0, source: 'nginx only (ELB/ALB use health checks)' },
    failTimeout: { value: 10, source: 'nginx only' },
    surgeQueue: elb ? AWS.surgeQueue : { value: 0, source: 'ALB has no surge queue' },
    rtt: { value: 0.0005, source: 'capsim assumption: 0.5 ms between balancer and targets in one region' },
    sendDelay: { value: 0, source: 'capsim assumption: the balancer writes its request as soon as its connection is up' },
    synRetransmit: { value: 'rfc6298' as 'linux' | 'rfc6298', source: `capsim assumption: AWS documents neither the ${elb ? 'Classic ELB' : 'ALB'}'s SYN retransmission nor its timers; RFC 6298's 1 s, doubling` },
    failOpen: { value: !elb, source: elb ? 'Classic ELB: no healthy instance -> 503' : 'ALB fails open when every target is unhealthy' },
    healthCheck: {
      enabled: { value: true, source: 'health checks are always on for a target group / Classic ELB' },
      interval: { value: 30, source: `${elb ? 'Classic ELB' : 'ALB'} default health-check interval` },
      timeout: { value: 5, source: `${elb ? 'Classic ELB' : 'ALB'} default health-check timeout` },
      unhealthyThreshold: { value: 2, source: `${elb ? 'Classic ELB' : 'ALB'} default unhealthy threshold` },
      healthyThreshold: { value: elb ? 10 : 5, source: `${elb ? 'Classic ELB' : 'ALB'} default healthy threshold` },
      work: { value: c(0.002), source: 'capsim assumption: a health-check view, 2 ms of CPU' },
    },
  };
}

/** nginx as the front: every value from src/facts/nginx.ts. */
function nginxDefaults() {
  return {
    routing: NGINX.routing,
    idleTimeout: NGINX.readTimeout,
    connectTimeout: NGINX.connectTimeout,
    keepAlive: NGINX.keepAlive,
    reuse: { value: 'lifo' as ReuseOrder, source: 'nginx 1.22.1 modules/ngx_http_upstream_keepalive_module.c: ngx_http_upstream_free_keepalive_peer puts a connection at the head of the cache, ngx_http_upstream_get_keepalive_peer searches from the head (most recently idle first)' },
    nodes: NGINX.workerProcesses,
    pool: { value: 'nginx' as PoolName, source: 'nginx: its upstream keepalive cache (src/facts/nginx.ts)' },
    nextUpstream: NGINX.nextUpstream,
    nextUpstreamTries: NGINX.nextUpstreamTries,
    maxFails: NGINX.maxFails,
    failTimeout: NGINX.failTimeout,
    surgeQueue: NGINX.surgeQueue,
    rtt: { value: 0.0005, source: 'capsim assumption: 0.5 ms between proxy and targets' },
    sendDelay: { value: 0, source: 'capsim assumption: nginx on its own host writes its request as soon as the connection is up (a loaded shared host does not: docs/model.md)' },
    synRetransmit: { value: 'linux' as 'linux' | 'rfc6298', source: 'nginx runs on Linux: its kernel retransmits SYNs (src/facts/linux.ts: 6.6+ linear timeouts, 250 Hz timer wheel, tcp_syn_retries 6)' },
    failOpen: NGINX.failOpen,
    healthCheck: {
      enabled: NGINX.healthChecks,
      interval: { value: 30, source: 'unused: open-source nginx has no active health checks' },
      timeout: { value: 5, source: 'unused: open-source nginx has no active health checks' },
      unhealthyThreshold: { value: 2, source: 'unused: open-source nginx has no active health checks' },
      healthyThreshold: { value: 5, source: 'unused: open-source nginx has no active health checks' },
      work: { value: c(0.002), source: 'unused: open-source nginx has no active health checks' },
    },
  };
}

export const FLEET_DEFAULTS = {
  containers: { value: 1, source: 'capsim default' },
  vcpu: { value: 1, source: 'capsim default' },
  memory: { value: 2 * 1024 ** 3, source: 'capsim default: 2 GiB (the smallest Fargate task with 1 vCPU)' },
  somaxconn: LINUX.somaxconn,
  overflow: { value: 'linux' as const, source: 'what the Linux kernel does with a full accept queue (src/facts/linux.ts)' },
  tcpAbortOnOverflow: LINUX.tcpAbortOnOverflow,
  synackRetries: LINUX.synackRetries,
};

export const DB_DEFAULTS = {
  driver: { value: 'mysqlclient' as const, source: 'capsim default: the C driver Django recommends' },
  driverCpu: { value: c(0.0002), source: 'capsim assumption: 0.2 ms of client CPU per query in the C driver' },
  pymysqlCpuFactor: { value: 1.6, source: 'the write-up: PyMySQL reportedly ~60% slower (a 2014 benchmark measured 2.65x)' },
  pool: { value: null, source: 'Django default: a new connection per request (CONN_MAX_AGE = 0)' },
  poolSize: { value: 5, source: 'SQLAlchemy QueuePool default pool_size' },
  poolMaxOverflow: { value: 10, source: 'SQLAlchemy QueuePool default max_overflow' },
  poolTimeout: { value: 30, source: 'SQLAlchemy QueuePool default timeout' },
  connect: { value: c(0.002), source: 'capsim assumption: 2 ms to open a MySQL connection' },
  maxConnections: { value: 151, source: 'MySQL default max_connections' },
};
