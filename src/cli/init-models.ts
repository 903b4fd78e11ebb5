// The starting models `capsim init` writes: a small, realistic fleet behind an ALB that runs as
// it is, with a comment on every line a user is likely to change. Kept here as text (not as a
// file beside the bundle) so the bundled CLI needs nothing at run time; test/cli/init.test.ts
// checks that each one parses without warnings and runs.
import type { ServerKind } from '../scenario/model-types.js';
import { SCHEMA_FILE } from '../scenario/json-schema.js';

const HEAD = (server: string) => `# yaml-language-server: $schema=SCHEMA
# A starting capsim model: ${server} behind an AWS Application Load Balancer.
# Replace the traffic and the request's phases with what your service does, then:
#   capsim explain FILE     every value, resolved, with its source (and warnings)
#   capsim run FILE         failures by status and cause, latency, with 95% intervals
# Every key, its default and its source: docs/model.md. Units: 250ms, 1.5s, 5m, 1h; 19k/min;
# 512MiB, 2GiB. An omitted key takes the named server version's default.
name: my-service
simulation:
  duration: 1h               # measured simulated time per replication
  warmup: 5m                 # discarded first, so the fleet starts warm
  replications: 10           # independent runs: every figure gets a 95% interval over them
  seed: 1                    # same model and seed: byte-identical output
traffic:
  rate: 1200/min             # Poisson arrivals; or profile: (a daily curve) or users: (a closed population)
  endpoints:                 # each request picks an endpoint by weight, then runs its phases in order
    - name: api
      weight: 9
      phases:
        - cpu: lognormal(mean=20ms, sd=15ms)     # Python: needs the worker's thread and a CPU
        - db: lognormal(mean=5ms, sd=5ms)        # one MySQL query
        - cpu: exp(5ms)                          # rendering the response
    - name: report
      weight: 1
      phases:
        - db: lognormal(mean=40ms, sd=30ms)
        - wait: exp(100ms)                       # I/O, e.g. a call to another service
        - cpu: lognormal(mean=60ms, sd=40ms)
balancer:
  kind: alb                  # alb, elb (Classic) or nginx; defaults: round robin, idle timeout 60 s, keep-alive
  idleTimeout: 60s           # no response by then: 504
`;

const UWSGI = `fleet:
  containers: 2              # tasks (or instances) behind the balancer
  vcpu: 1                    # per task
  memory: 2GiB               # per task: workers above it are OOM-killed (SIGKILL)
  server:
    kind: uwsgi
    version: "2.0.28"        # behaviour that changed between versions follows this
    workers: 4               # --processes
    mode: sync               # sync, gevent (with concurrency: greenlets) or threads
    maxRequests: 5000        # --max-requests: recycle a worker after this many requests
    harakiri: 30s            # --harakiri: kill a request running longer (below the idle timeout)
    connectionClose: true    # add-header = Connection: close: without it, http-socket's close after each
                             # response races the balancer's reuse of the connection (502 close-race)
    memory: { shared: 150MiB, base: 120MiB }     # the master's shared pages once, then each worker's own
  db:
    driver: mysqlclient      # or pymysql
    pool: none               # a new connection per request; or { size: 5, maxOverflow: 10, timeout: 30s }
`;

const GUNICORN = `fleet:
  containers: 2              # tasks (or instances) behind the balancer
  vcpu: 1                    # per task
  memory: 2GiB               # per task: workers above it are OOM-killed (SIGKILL)
  server:
    kind: gunicorn
    version: "23.0.0"        # behaviour that changed between versions follows this
    workers: 4               # --workers
    mode: sync               # sync (sends Connection: close), gevent (with concurrency) or threads
    maxRequests: 5000        # --max-requests: recycle a worker after this many requests
    maxRequestsJitter: 500   # --max-requests-jitter: so the workers do not recycle together
    harakiri: 30s            # --timeout: the arbiter kills a worker silent for this long
    memory: { shared: 150MiB, base: 120MiB }     # the master's shared pages once (preload), then each worker's own
  db:
    driver: mysqlclient      # or pymysql
    pool: none               # a new connection per request; or { size: 5, maxOverflow: 10, timeout: 30s }
`;

/** The text of a starting model; `schemaRef` is the path or URL of the JSON Schema for editors. */
export function starterModel(server: ServerKind, schemaRef: string = SCHEMA_FILE): string {
  const head = HEAD(server === 'uwsgi' ? 'uWSGI' : 'gunicorn').replace('SCHEMA', schemaRef);
  return head + (server === 'uwsgi' ? UWSGI : GUNICORN);
}
