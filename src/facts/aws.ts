// AWS's load balancers as capsim models them: the Application Load Balancer (ALB) and the Classic
// Load Balancer (ELB). What AWS documents, with the page it is on; what it does not, as named
// assumptions; and the values capsim fitted to what the field reports, with the reports. The one
// place for AWS balancer facts: src/model/defaults.ts and the balancer read them from here.
// Pure data.
//
// Sources (the AWS documentation as archived in the awsdocs repositories, and the live pages):
//   ELB-HOW   Elastic Load Balancing User Guide, "How Elastic Load Balancing works"
//             (awsdocs/elb-user-guide doc_source/how-elastic-load-balancing-works.md)
//   ALB-API   Elastic Load Balancing API Reference, CreateLoadBalancer / SetSubnets
//   ALB-TS    ALB User Guide, "Troubleshoot your Application Load Balancers" (HTTP 502, 504)
//   CLB-TS    Classic Load Balancer guide, "Troubleshoot a Classic Load Balancer: HTTP errors"
//   ALB-ATTR  ALB User Guide, "Application Load Balancers" (idle timeout, routing algorithm)
//   CLB-CFG   Classic Load Balancer guide, "Configure the idle connection timeout", "surge queue"
//   CLOUDAVAIL cloudavail.com, "AWS ELB pre-open Connection Exposé", part 1 (2013-12-21) and part 2
//             (2014-01-27): an Apache 2.2 prefork (KeepAlive Off) behind a Classic ELB
import type { DistSpec } from '../kernel/distribution-spec.js';

export interface Fact<T> {
  value: T;
  source: string;
}

/** The pool's named parts: how a balancer treats a kept-alive target connection. */
export interface PoolParts {
  /**
   * From the balancer reading a response to the connection being offered to another request.
   * 0 in a client pool that frees the connection in the same turn as the response's end.
   */
  reuseDelay: DistSpec;
  /** A FIN that arrives while the connection is idle takes it out of the pool (before any reuse). */
  noticeFin: boolean;
  /** A request that fails on a reused connection (the target closed it) is sent again on a new one. */
  retry: boolean;
  /**
   * Connections each node keeps opened ahead to each target, carrying no request yet (the
   * Classic ELB's pre-open connections): a request with no reusable kept-alive connection takes a
   * ready one (no handshake) and the node opens a replacement at once. 0: none.
   */
  preopen: number;
}

export type PoolName = 'eager' | 'nginx' | 'alb' | 'elb';

const exp = (mean: number): DistSpec => ({ kind: 'exp', mean });

/**
 * The testbed's Node 20 http.Agent proxy returns a connection to its pool about 100 µs after it
 * read the response's end (p90 145 µs), measured per connection on loopback (docs/model.md, "The
 * close delay of uWSGI's http-socket, measured"): lognormal, median 100 µs, sigma 0.29.
 */
const NODE_AGENT_RELEASE: DistSpec = { kind: 'lognormal', mu: Math.log(0.0001), sigma: 0.29 };

/**
 * The ALB's reuse delay, fitted (docs/model.md "The balancer's target connections"): the mean of
 * an exponential delay between an ALB node reading a target's response and offering that
 * connection to another request. AWS documents neither the delay nor its absence. With the
 * response's FIN g after it, a reuse races only when the delay is shorter than g, so the close
 * race goes with E[(g - delay)+] ~ E[g²] / (2 · mean) for g well below the mean, and with each
 * node's share of the traffic: the field fixes only the product nodes × mean.
 *
 * Fitted, at the documented minimum of 2 nodes, to the one field report of uWSGI 2.0 http-socket
 * behind an ALB with a count: the incident (about 13 502s per 5 minutes at about 19k
 * requests/min, 2 gevent workers with mysqlclient per task; models/incident/01 gives 12.7
 * [10.4, 15.0] at 12 ms, 6 × 20 min), within the reports that bound it: "under 1%" (a Django +
 * uWSGI + ALB post) and "I don't think we have seen this problem there" (unbit/uwsgi#2133,
 * uWSGI http-socket behind an AWS load balancer); and no report with a count near the 1-3% of a
 * client pool that reuses at once (the testbed's Node proxy; nginx without retries). The range:
 * the means that keep the incident's model within 3x of 13 per 5 minutes (at 2 nodes; with N
 * nodes, 2/N of these).
 */
export const ALB_REUSE_DELAY_MEAN = 0.012;
export const ALB_REUSE_DELAY_RANGE: readonly [number, number] = [0.004, 0.036];

export const AWS = {
  /**
   * ALB-API: "[Application Load Balancers] You must specify subnets from at least two
   * Availability Zones"; ELB-HOW: ELB "creates a load balancer node in the Availability Zone"
   * for each one enabled, and more nodes as traffic grows (not how many). Each node has its own
   * IP address and (inferred) its own connections to the targets.
   */
  albNodes: {
    value: 2,
    source:
      'ALB: at least two Availability Zones, a load balancer node in each (ELB API Reference, CreateLoadBalancer: "You must specify subnets from at least two Availability Zones"; ELB User Guide, How Elastic Load Balancing works); more nodes as traffic grows, how many is not documented',
  } as Fact<number>,
  elbNodes: {
    value: 2,
    source:
      'capsim assumption: a Classic ELB across two Availability Zones, one node in each (ELB User Guide, How Elastic Load Balancing works); a Classic ELB may also run in one zone (nodes: 1)',
  } as Fact<number>,
  /** ELB-HOW, "HTTP connections": both keep backend connections alive by default, no pipelining. */
  keepAlive: {
    value: true,
    source:
      'ELB User Guide, How Elastic Load Balancing works, HTTP connections: "Keep-alive is supported on backend connections by default"; "Both ... use connection multiplexing"; no pipelining on backend connections',
  } as Fact<boolean>,
  /** ELB-HOW: "Classic Load Balancers use pre-open connections, but Application Load Balancers do not." */
  preopen: 'ELB User Guide, How Elastic Load Balancing works: "Classic Load Balancers use pre-open connections, but Application Load Balancers do not"',
  /**
   * CLOUDAVAIL: what a Classic ELB's pre-opened connection does on an instance. Behind a Classic
   * ELB an idle Apache 2.2 prefork (KeepAlive Off) showed one "..reading.." worker per listener,
   * more as traffic grew; the ELB opens a TCP connection to the instance ahead of any request; a
   * request arriving later (5 s later in their test) was sent over it; Apache closed an unused one
   * after its own read timeout (Timeout, 20 s there); an ELB engineer confirmed the purpose (to
   * spare the TCP handshake when a client request comes) and that AWS support can disable it.
   * How many a node keeps as traffic grows is documented nowhere: a named unknown.
   */
  preopenObserved:
    'cloudavail.com, "AWS ELB pre-open Connection Exposé" parts 1 (2013-12-21) and 2 (2014-01-27): one idle pre-opened connection per listener on an idle Apache prefork, more as traffic grew (how many: not documented); a later request is sent over it; the server closes an unused one at its own read timeout; AWS support can disable pre-open',
  /**
   * CLB-CFG: "the load balancer maintains two connections ... The load balancer has a configured
   * idle timeout period that applies to its connections. If no data has been sent or received by
   * the time that the idle timeout period elapses, the load balancer closes the connection."
   * capsim applies it to a pre-opened connection from its handshake (an inference: the page does
   * not name pre-opened connections).
   */
  preopenIdleClose:
    'inferred from the Classic Load Balancer guide, Configure the idle connection timeout ("If no data has been sent or received by the time that the idle timeout period elapses, the load balancer closes the connection"): a pre-opened connection that carried nothing for idleTimeout is closed by its node, which opens another',
  /** Which idle connection a node takes: not documented. */
  reuseOrder: {
    value: 'lifo' as const,
    source:
      'capsim assumption: undocumented for ALB/Classic ELB; most recently idle first, as Go net/http, Node http.Agent (default) and Envoy pools do (with uWSGI http-socket every pooled connection is closing, so the order does not move the close race)',
  },
  idleTimeout: { value: 60, source: 'ALB and Classic ELB default idle timeout 60 s (ALB User Guide, Application Load Balancers, connection idle timeout; Classic guide, idle connection timeout)' } as Fact<number>,
  albConnectTimeout: { value: 10, source: 'ALB User Guide, Troubleshoot, HTTP 504: "The load balancer failed to establish a connection to the target before the connection timeout expired (10 seconds)"' } as Fact<number>,
  elbConnectTimeout: { value: 10, source: 'capsim assumption: as the ALB (the Classic ELB documents no connect timeout)' } as Fact<number>,
  surgeQueue: { value: 1024, source: 'Classic Load Balancer guide, troubleshooting: SurgeQueueLength maximum 1,024; SpilloverCount when full (503)' } as Fact<number>,
  /** The pools of each balancer kind that capsim knows (`balancer.pool`). */
  pools: {
    alb: {
      reuseDelay: {
        value: exp(ALB_REUSE_DELAY_MEAN),
        source: `fitted (docs/model.md, The balancer's target connections): exp(${ALB_REUSE_DELAY_MEAN * 1000}ms), range ${ALB_REUSE_DELAY_RANGE[0] * 1000}-${ALB_REUSE_DELAY_RANGE[1] * 1000} ms; AWS documents no such delay nor its absence; fitted at 2 nodes to the field's uWSGI http-socket rates behind an ALB (the incident's ~13 per 5 minutes; "under 1%"; uwsgi#2133 "not seen"), never a client pool's 1-3%; the field fixes only nodes × mean`,
      },
      noticeFin: {
        value: true,
        source:
          'capsim assumption: an ALB node watches its idle target connections and drops one whose FIN arrived, as every event-driven proxy does (nginx ngx_http_upstream_keepalive_close_handler; Node http.Agent); a node that did not would fail nearly every reuse of a uWSGI http-socket connection, far above any field report',
      },
      retry: {
        value: false,
        source:
          'inferred: AWS documents no retry, and ALBs report 502s for targets that close kept-alive connections (medplum/medplum#2253, cardstack/boxel#6107, the gunicorn keep-alive 2 s case), which a balancer that retried a failed reused connection would hide',
      },
      preopen: {
        value: 0,
        source: 'documented: ELB User Guide, How Elastic Load Balancing works: "Classic Load Balancers use pre-open connections, but Application Load Balancers do not"',
      },
    },
    elb: {
      reuseDelay: { value: exp(ALB_REUSE_DELAY_MEAN), source: 'capsim assumption: as the ALB (fitted there); the Classic ELB documents none' },
      noticeFin: { value: true, source: 'capsim assumption: as the ALB' },
      retry: {
        value: false,
        source:
          'inferred: AWS documents no retry, and Classic ELBs report errors for targets that close kept-alive connections (the gunicorn keep-alive 2 s behind an ELB: "one in every 20,000 requests"), which a retrying balancer would hide',
      },
      preopen: {
        value: 1,
        source:
          'capsim assumption: 1 per node and target, from the one idle pre-opened connection per listener cloudavail.com observed ("AWS ELB pre-open Connection Exposé", 2013-12-21, 2014-01-27); AWS documents that Classic ELBs pre-open (ELB User Guide, How Elastic Load Balancing works) but not how many, nor how the number grows with traffic (cloudavail saw more as traffic grew): an unknown; 0 is a Classic ELB whose pre-open AWS support disabled',
      },
    },
    eager: {
      reuseDelay: {
        value: NODE_AGENT_RELEASE,
        source:
          'eager: Node 20 http.Agent frees the connection to its pool about 100 µs after reading the response end (median; p90 145 µs), measured on the testbed proxy on loopback (docs/model.md, "The close delay of uWSGI\'s http-socket, measured")',
      },
      noticeFin: { value: true, source: 'eager: a FIN read on an idle connection takes it out of the pool (the testbed proxy, --evict-on-fin 1)' },
      retry: { value: false, source: 'eager: no retry (the testbed proxy: "no retries of any kind")' },
      preopen: { value: 0, source: 'eager: a client pool opens a connection only for a request (Node http.Agent)' },
    },
  } satisfies Record<'alb' | 'elb' | 'eager', { [K in keyof PoolParts]: Fact<PoolParts[K]> }>,
};
