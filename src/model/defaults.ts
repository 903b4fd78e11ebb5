// Defaults of the balancer, the container and the database, with their sources.
import type { DistSpec } from '../kernel/distribution-spec.js';
import type { BalancerKind } from '../scenario/model-types.js';

const c = (value: number): DistSpec => ({ kind: 'const', value });

export function balancerDefaults(kind: BalancerKind) {
  const elb = kind === 'elb';
  return {
    routing: {
      value: elb ? ('least-outstanding' as const) : ('round-robin' as const),
      source: elb ? 'Classic ELB: least outstanding requests for HTTP listeners' : 'ALB default routing: round robin',
    },
    idleTimeout: { value: 60, source: 'ELB/ALB default idle timeout' },
    connectTimeout: { value: 10, source: elb ? 'capsim assumption: as ALB (Classic ELB documents none)' : 'ALB: 10 s to establish a target connection' },
    keepAlive: { value: true, source: 'ELB/ALB reuse connections to targets (HTTP keep-alive)' },
    surgeQueue: { value: elb ? 1024 : 0, source: elb ? 'Classic ELB surge queue maximum' : 'ALB has no surge queue' },
    rtt: { value: 0.0005, source: 'capsim assumption: 0.5 ms between balancer and targets in one region' },
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

export const FLEET_DEFAULTS = {
  containers: { value: 1, source: 'capsim default' },
  vcpu: { value: 1, source: 'capsim default' },
  memory: { value: 2 * 1024 ** 3, source: 'capsim default: 2 GiB (the smallest Fargate task with 1 vCPU)' },
  somaxconn: { value: 4096, source: 'Linux >= 5.4 net.core.somaxconn (128 before)' },
  overflow: { value: 'linux' as const, source: 'what the Linux kernel does with a full accept queue' },
  tcpAbortOnOverflow: { value: false, source: 'Linux default net.ipv4.tcp_abort_on_overflow = 0' },
  synackRetries: { value: 5, source: 'Linux default net.ipv4.tcp_synack_retries' },
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
