// Linux (6.x; the rules below hold from 4.4 on) TCP listen-socket behaviour that capsim models:
// every constant and rule with the file and function it comes from (torvalds/linux). The
// scenario defaults and the listener read them from here. Pure data and pure functions.

const src = (where: string) => `Linux ${where}`;

export const LINUX = {
  somaxconn: { value: 4096, source: src('>= 5.4 net.core.somaxconn default (128 before): listen() caps its backlog at it') },
  tcpAbortOnOverflow: { value: false, source: src('net.ipv4.tcp_abort_on_overflow default 0') },
  synackRetries: { value: 5, source: src('net.ipv4.tcp_synack_retries default 5') },
  /**
   * include/net/sock.h sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog, so the accept
   * queue holds backlog + 1 connections. Checked both for a SYN (net/ipv4/tcp_input.c
   * tcp_conn_request: dropped, ListenOverflows) and for the segment that completes the handshake
   * (net/ipv4/tcp_ipv4.c tcp_v4_syn_recv_sock -> tcp_minisocks.c tcp_check_req listen_overflow:
   * with tcp_abort_on_overflow a RST, EmbryonicRsts; without, the segment is dropped).
   */
  acceptQueueExtra: 1,
  /** include/net/tcp.h TCP_TIMEOUT_INIT: a dropped SYN is retransmitted after 1 s, then 2, 4 … s. */
  synRtoInitial: 1,
  /**
   * include/net/tcp.h TCP_RTO_MIN (200 ms): a connected client's retransmission timeout is
   * srtt + max(4·rttvar, 200 ms) (net/ipv4/tcp_input.c tcp_rtt_estimator, tcp_set_rto), doubling
   * at each retry (tcp_timer.c tcp_retransmit_timer).
   */
  rtoMin: 0.2,
  /** The request socket's timer (net/ipv4/inet_connection_sock.c reqsk_timer_handler) fires 1, 2, 4 … s apart. */
  reqskTimerInitial: 1,
  /**
   * A connecting client's SYN retransmissions (net/ipv4/tcp_timer.c tcp_retransmit_timer): the
   * first net.ipv4.tcp_syn_linear_timeouts (default 4, Linux >= 6.6; read 4 on the testbed's
   * 6.18 kernel) back off linearly, so the SYN RTOs are 1, 1, 1, 1, 1, 2, 4 … s; after
   * net.ipv4.tcp_syn_retries (default 6) retransmissions connect() fails with ETIMEDOUT.
   */
  synLinearTimeouts: 4,
  synRetries: 6,
  /**
   * CONFIG_HZ of Debian's kernels and of the testbed's: timers live on the timer wheel
   * (kernel/time/timer.c), whose level n holds timeouts of 63·8^(n-1) jiffies and more at a
   * granularity of 8^n jiffies, rounded up: a 1 s retransmission timer fires on the next 32 ms
   * boundary, so every SYN dropped in the same 32 ms comes back in one burst.
   */
  hz: 250,
  /** A SYN cookie is valid for 2 × 60 s (include/net/tcp.h MAX_SYNCOOKIE_AGE, TCP_SYNCOOKIE_PERIOD). */
  cookieValid: 120,
};

/** The RTO before a connecting Linux client's retransmission number k+1 (k retransmissions sent). */
export function linuxSynRto(k: number): number {
  return k <= LINUX.synLinearTimeouts ? LINUX.synRtoInitial : LINUX.synRtoInitial * 2 ** (k - LINUX.synLinearTimeouts);
}

/**
 * When a timer armed at time t (s) for `delay` s fires on the timer wheel (kernel/time/timer.c
 * calc_wheel_index, calc_index: expires = jiffies + delay, then ((expires >> shift) + 1) << shift,
 * so it never fires early and fires on the next boundary of its level's granularity).
 *
 * The timers that fire in one jiffy run in an order the kernel does not fix across CPUs. Each
 * CPU has its own wheel and runs its bucket newest first (enqueue_timer: hlist_add_head;
 * expire_timers takes head->first; __run_timers the highest level first); a timer is armed on
 * the CPU that arms it (a retransmission re-arms where the last one fired), and the CPUs run
 * their buckets at the same tick, so the segments they send (SYNs, data retransmissions) reach a
 * listen socket interleaved. capsim takes that order as random (Listener: Simulation.atRanked).
 * The testbed's runs (uWSGI listen 100 behind the ALB-like proxy on 2 vCPUs, 80-120 requests/s;
 * counted 2026-12-08 by scripts/testbed-syn-instants.mjs): at 10-14% of the 32 ms instants at
 * which retransmitted SYNs came back, some got in and others not. In capsim the order they were
 * armed in splits about 1%, newest first on one wheel none, random 9-13% (docs/model.md, "The
 * order of one jiffy's timers").
 */
export function wheelExpiry(t: number, delay: number): number {
  const hz = LINUX.hz;
  const now = Math.floor(t * hz + 1e-9);
  const expires = now + Math.ceil(delay * hz - 1e-9);
  const delta = expires - now;
  let shift = 0;
  for (let lvl = 1; lvl < 9 && delta >= 63 << (3 * (lvl - 1)); lvl++) shift = 3 * lvl;
  const fire = ((expires >> shift) + 1) << shift;
  return fire / hz;
}

/**
 * TCP_DEFER_ACCEPT's seconds as the kernel keeps them: a number of SYN-ACK timer periods
 * (net/ipv4/tcp.c do_tcp_setsockopt -> secs_to_retrans with TCP_TIMEOUT_INIT and TCP_RTO_MAX).
 */
export function deferAcceptRetrans(seconds: number): number {
  if (seconds <= 0) return 0;
  let timeout = 1;
  let period = timeout;
  let res = 1;
  while (seconds > period && res < 255) {
    res++;
    timeout = Math.min(timeout * 2, 120);
    period += timeout;
  }
  return res;
}

/**
 * When a TCP_DEFER_ACCEPT handshake that never gets data enters the accept queue anyway, for a
 * SYN that reached the server at t0: the request socket's timer (1, 2, 4 … s apart, on the wheel)
 * does not retransmit the SYN-ACK before its run number deferRetrans - 1
 * (net/ipv4/inet_connection_sock.c syn_ack_recalc); the client answers that retransmission with
 * a bare ACK one rtt later, which now completes the handshake (tcp_minisocks.c tcp_check_req
 * drops a bare ACK only while req->num_timeout < rskq_defer_accept) and queues the connection
 * for accept() with no data.
 */
export function deferEndAt(t0: number, rtt: number, deferRetrans: number): number {
  let fire = t0;
  for (let m = 0; m < Math.max(deferRetrans, 1); m++) fire = wheelExpiry(fire, LINUX.reqskTimerInitial * 2 ** m);
  return fire + rtt;
}

/**
 * When the server's segments reach a handshake whose completing segment overflowed the accept
 * queue (without tcp_abort_on_overflow), for a handshake whose SYN reached the server at t0: each
 * is one more try to enter the queue. Offsets below are from t0. `entry` is when the completing segment first arrived, `dataAt` when the request's
 * first data segment did (the same segment under TCP_DEFER_ACCEPT; later without it, when the
 * balancer takes time to write), `rtt` the round trip.
 *   - the request's data segment, and the client's retransmissions of it: RTO = rtt + 200 ms, doubling;
 *   - the request socket's timer retransmits the SYN-ACK at 1, 3, 7 … s and the client's
 *     duplicate ACK comes back one rtt later (net/ipv4/inet_connection_sock.c syn_ack_recalc);
 *     under TCP_DEFER_ACCEPT not while the request waits for data, only from the timer run
 *     numbered `deferRetrans - 1` on, and those bare ACKs then complete the handshake;
 *   - the request socket expires after synackRetries timer runs (max(synackRetries,
 *     deferRetrans) under TCP_DEFER_ACCEPT): 63 s by default. After that the next segment of
 *     the client meets a reset.
 *   - a SYN cookie's connection (`cookie`; net/ipv4/syncookies.c tcp_get_cookie_sock) has no
 *     request socket: an overflow drops the segment, never a reset, no SYN-ACK is retransmitted,
 *     and only the client's retransmissions try again, while the cookie is valid (120 s).
 * Every timer is on its kernel's timer wheel: the balancer's retransmissions of its request on
 * the balancer's (when it runs Linux: `clientWheel`), the SYN-ACKs and the request socket's
 * expiry on the server's. Timers armed within one bucket fire together, so the retries of
 * connections that overflowed together come back together, as their SYNs do.
 * Returns the tries (absolute times, in order), which of them are bare ACKs (no request bytes),
 * and the time of the reset: the client's first retransmission after the request socket (or the
 * cookie) expired.
 */
export function overflowRetriesAt(
  t0: number,
  entry: number,
  dataAt: number,
  rtt: number,
  synackRetries: number,
  deferRetrans: number,
  cookie: boolean,
  clientWheel: boolean,
): { tries: number[]; bare: boolean[]; reset: number } {
  const tries: number[] = [];
  // The SYN-ACK answers are bare ACKs: one that completes the handshake brings no request bytes.
  const acks: number[] = [];
  // The server's request-socket timer: runs 1, 2, 4 … s apart, each on the wheel.
  const timerRuns = cookie ? 0 : deferRetrans > 0 ? Math.max(synackRetries, deferRetrans) : synackRetries;
  const firstSynack = deferRetrans > 0 ? Math.max(deferRetrans - 1, 0) : 0;
  let expiry = t0 + LINUX.cookieValid;
  if (!cookie) {
    let fire = t0;
    for (let m = 0; m <= timerRuns; m++) {
      fire = wheelExpiry(fire, LINUX.reqskTimerInitial * 2 ** m);
      if (m === timerRuns) expiry = fire;
      else if (m >= firstSynack && m < synackRetries && fire + rtt > t0 + entry) acks.push(fire + rtt);
    }
  }
  if (dataAt > entry) tries.push(t0 + dataAt);
  const rto = rtt + LINUX.rtoMin;
  let send = t0 + dataAt - rtt / 2;
  let reset = expiry;
  for (let j = 0; ; j++) {
    send = clientWheel ? wheelExpiry(send, rto * 2 ** j) : send + rto * 2 ** j;
    const t = send + rtt / 2;
    if (t >= expiry) {
      reset = t;
      break;
    }
    tries.push(t);
  }
  for (const a of acks) tries.push(a);
  tries.sort((a, b) => a - b);
  const bare = tries.map((t) => acks.includes(t));
  return { tries, bare, reset };
}

/**
 * A handshake that a bare ACK completed after its request's data had been dropped (an overflow):
 * the connection is in the accept queue without the request's bytes, which come with the
 * client's next retransmission of them (RTO = rtt + 200 ms, doubling from the first send, on the
 * client's wheel when it runs Linux). When does the first one after `t` reach the server?
 * (Same chain as overflowRetriesAt's, without the request socket's expiry: the connection is
 * established now.)
 */
export function requestBytesAfter(t0: number, dataAt: number, rtt: number, t: number, clientWheel: boolean): number {
  const rto = rtt + LINUX.rtoMin;
  let send = t0 + dataAt - rtt / 2;
  for (let j = 0; j < 64; j++) {
    send = clientWheel ? wheelExpiry(send, rto * 2 ** j) : send + rto * 2 ** j;
    if (send + rtt / 2 > t) return send + rtt / 2;
  }
  return Infinity;
}
