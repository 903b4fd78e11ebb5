// The named pools `balancer.pool` may name, each a set of parts with their sources: the ALB's
// and the Classic ELB's own (src/facts/aws.ts), nginx's upstream keepalive cache
// (src/facts/nginx.ts), and `eager`, a client pool that reuses a connection as soon as its
// response is read (Node's http.Agent, the testbed's ALB-like proxy).
import { AWS, type Fact, type PoolName, type PoolParts } from '../../facts/aws.js';
import { NGINX } from '../../facts/nginx.js';

export const POOL_NAMES: readonly PoolName[] = ['alb', 'elb', 'nginx', 'eager'];

export function poolProfile(name: PoolName): { [K in keyof PoolParts]: Fact<PoolParts[K]> } {
  return name === 'nginx' ? NGINX.pool : AWS.pools[name];
}
