// Model texts shared by the scenario tests.

/** DESIGN.md's textbook example, with `overflow: refuse`. Line numbers matter to the tests. */
export const TEXTBOOK = `name: textbook-mmc
simulation: { duration: 2h, warmup: 10m, replications: 10, seed: 1 }
traffic:
  rate: 4/s                       # Poisson arrivals (also: profile:, users:)
  endpoints:
    - name: api
      weight: 1
      phases:                     # done in order by the worker that accepted the request
        - wait: exp(1s)           # pure waiting (I/O); holds a sync worker, yields under gevent
        # - cpu: exp(5ms)         # needs the container's CPU (shared when workers > vcpu)
balancer: { kind: elb, idleTimeout: 60s }
fleet:
  containers: 1
  vcpu: 1
  overflow: refuse
  server:
    kind: uwsgi                   # uwsgi | gunicorn
    version: "2.0"
    workers: 5
    mode: sync                    # sync | gevent | threads
    concurrency: 1                # gevent async cores / threads per worker
    backlog: unlimited            # listen queue length, or a number (default: the server's own)
    maxRequests: 0                # 0 = never recycle
    respawn: const(1s)            # exit -> accepting again
`;

/** The smallest valid model. */
export const MINIMAL = `traffic:
  rate: 317/s
  phases:
    - cpu: exp(5ms)
`;
