// nginx (open source, 1.22) as a reverse proxy in front of the app servers: every default capsim
// uses, with the file and function of nginx 1.22.1 it comes from (github.com/nginx/nginx, tag
// release-1.22.1). The scenario defaults and the model read them from here. Pure data.

import type { DistSpec } from '../kernel/distribution-spec.js';

export const NGINX_VERSION = '1.22.1';

const src = (where: string) => `nginx ${NGINX_VERSION} ${where}`;

export const NGINX = {
  keepAlive: {
    value: false,
    source: src(
      'without the upstream `keepalive` directive (modules/ngx_http_upstream_keepalive_module.c) the proxy sends HTTP/1.0 and `Connection: close` ' +
        '(modules/ngx_http_proxy_module.c: proxy_http_version 1.0, ngx_http_proxy_create_request): no connection is reused',
    ),
  },
  routing: { value: 'round-robin' as const, source: src('src/http/ngx_http_upstream_round_robin.c ngx_http_upstream_get_peer: (smooth weighted) round robin') },
  /** proxy_read_timeout: no response within it -> 504. */
  readTimeout: { value: 60, source: src('modules/ngx_http_proxy_module.c: proxy_read_timeout default 60 s (504 "upstream timed out")') },
  connectTimeout: { value: 60, source: src('modules/ngx_http_proxy_module.c: proxy_connect_timeout default 60 s') },
  nextUpstream: {
    value: ['error', 'timeout'] as ('error' | 'timeout')[],
    source: src('modules/ngx_http_proxy_module.c: proxy_next_upstream default "error timeout"; src/http/ngx_http_upstream.c ngx_http_upstream_next'),
  },
  nextUpstreamTries: {
    value: 0,
    source: src('proxy_next_upstream_tries default 0 (unlimited): tries = the number of servers (ngx_http_upstream_round_robin.c ngx_http_upstream_init_round_robin_peer)'),
  },
  maxFails: { value: 1, source: src('src/http/ngx_http_upstream.c ngx_http_upstream_server: max_fails = 1') },
  failTimeout: { value: 10, source: src('src/http/ngx_http_upstream.c ngx_http_upstream_server: fail_timeout = 10 s') },
  healthChecks: { value: false, source: 'open-source nginx has no active health checks (health_check is NGINX Plus only); passive max_fails/fail_timeout only' },
  surgeQueue: { value: 0, source: 'nginx has no surge queue: a request waits for its upstream connect' },
  failOpen: { value: false, source: src('ngx_http_upstream_round_robin.c: with every server failed, get_peer returns NGX_BUSY: 502 "no live upstreams"') },
  /** worker_processes: each worker process keeps its own cache of idle upstream connections. */
  workerProcesses: {
    value: 1,
    source: src('core/nginx.c: worker_processes default 1 (each worker process has its own keepalive cache: ngx_http_upstream_keepalive_module.c)'),
  },
  /** The upstream keepalive cache's parts (`balancer.pool` nginx). */
  pool: {
    reuseDelay: {
      value: { kind: 'const', value: 0 } as DistSpec,
      source: src('modules/ngx_http_upstream_keepalive_module.c ngx_http_upstream_free_keepalive_peer: the connection is cached as soon as the response is read (u->keepalive)'),
    },
    noticeFin: {
      value: true,
      source: src(
        'modules/ngx_http_upstream_keepalive_module.c: not cached if c->read->eof; right after caching, `if (c->read->ready)` runs the close handler; ngx_http_upstream_keepalive_close_handler closes an idle connection on EOF (recv MSG_PEEK)',
      ),
    },
    retry: {
      value: true,
      source: src(
        'src/http/ngx_http_upstream.c ngx_http_upstream_next: a failure on a cached connection gets one more try (u->peer.cached && ft_type == NGX_HTTP_UPSTREAM_FT_ERROR: tries++), if proxy_next_upstream has `error` (balancer.nextUpstream)',
      ),
    },
    preopen: {
      value: 0,
      source: src('src/http/ngx_http_upstream.c ngx_http_upstream_connect: an upstream connection is opened for a request, when its peer is chosen (no connection is opened ahead)'),
    },
  },
};
