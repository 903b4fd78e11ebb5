// Where requests come from. Each source calls `emit(user)` for a new request: user is the
// closed-loop user's index, or Origin.Open for open traffic.
import { expFrom, makeSampler, type Sampler } from '../../kernel/distributions.js';
import type { RandomStreams, Uniform } from '../../kernel/random-streams.js';
import type { Alea } from '../../kernel/alea.js';
import type { Simulation } from '../../kernel/simulation.js';
import type { Bursts, ClosedUsers, RateProfile } from '../../scenario/model-types.js';
import { Origin } from '../request-table.js';

export type Emit = (user: number) => void;

export interface TrafficSource {
  start(): void;
}

/** Poisson arrivals at a constant rate. */
export class PoissonSource implements TrafficSource {
  private readonly meanGap: number;
  private readonly handler = () => this.fire();

  constructor(
    private readonly sim: Simulation,
    rate: number,
    private readonly gaps: Alea,
    private readonly emit: Emit,
  ) {
    this.meanGap = 1 / rate;
  }

  start(): void {
    this.sim.schedule(expFrom(this.meanGap, this.gaps.next()), this.handler);
  }

  private fire(): void {
    this.sim.schedule(expFrom(this.meanGap, this.gaps.next()), this.handler);
    this.emit(Origin.Open);
  }
}

/**
 * Non-homogeneous Poisson arrivals whose rate follows a periodic piecewise-linear profile,
 * by thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability
 * rate(t) / peak.
 */
export class ProfileSource implements TrafficSource {
  private readonly peak: number;
  private readonly at: Float64Array;
  private readonly rate: Float64Array;
  private readonly period: number;
  private readonly handler = () => this.fire();

  constructor(
    private readonly sim: Simulation,
    profile: RateProfile,
    private readonly gaps: Uniform,
    private readonly keep: Uniform,
    private readonly emit: Emit,
  ) {
    this.period = profile.period;
    // Close the cycle: after the last point the rate returns linearly to the first one's.
    const pts = [...profile.points, { at: profile.period, rate: profile.points[0]!.rate }];
    this.at = Float64Array.from(pts, (p) => p.at);
    this.rate = Float64Array.from(pts, (p) => p.rate * profile.scale);
    this.peak = Math.max(...this.rate);
  }

  /** The rate at time t (per second). */
  rateAt(t: number): number {
    const x = t % this.period;
    let i = 0;
    while (i < this.at.length - 2 && x >= this.at[i + 1]!) i++;
    const span = this.at[i + 1]! - this.at[i]!;
    const f = span > 0 ? (x - this.at[i]!) / span : 0;
    return this.rate[i]! + f * (this.rate[i + 1]! - this.rate[i]!);
  }

  start(): void {
    this.next();
  }

  private next(): void {
    this.sim.schedule(-Math.log(1 - this.gaps()) / this.peak, this.handler);
  }

  private fire(): void {
    this.next();
    if (this.keep() * this.peak < this.rateAt(this.sim.now)) this.emit(Origin.Open);
  }
}

/**
 * A closed population: each user thinks, sends a request, waits for its answer (whatever the
 * status), and thinks again. Load then grows with the number of users, as in the incident
 * ("when concurrent users increase"), and a slow fleet slows its own traffic down.
 */
export class ClosedUsersSource implements TrafficSource {
  private readonly think: Sampler;
  private readonly handler = (user: number) => this.emit(user);

  constructor(
    private readonly sim: Simulation,
    private readonly users: ClosedUsers,
    streams: RandomStreams,
    private readonly emit: Emit,
  ) {
    this.think = makeSampler(users.think, streams.stream('traffic/users/think'));
  }

  start(): void {
    for (let u = 0; u < this.users.count; u++) this.sim.schedule(this.think(), this.handler, u);
  }

  /** A user's request got its answer: think, then send the next. */
  answered(user: number): void {
    this.sim.schedule(this.think(), this.handler, user);
  }
}

/** Bursts on top of the base traffic: `size` requests evenly spread over `over`, every `every`. */
export class BurstSource implements TrafficSource {
  private readonly every: Sampler;
  private readonly startHandler = () => this.burst();
  private readonly oneHandler = () => this.emit(Origin.Open);

  constructor(
    private readonly sim: Simulation,
    private readonly bursts: Bursts,
    streams: RandomStreams,
    private readonly emit: Emit,
  ) {
    this.every = makeSampler(bursts.every, streams.stream('traffic/bursts'));
  }

  start(): void {
    this.sim.schedule(this.every(), this.startHandler);
  }

  private burst(): void {
    this.sim.schedule(this.every(), this.startHandler);
    const { size, over } = this.bursts;
    for (let i = 0; i < size; i++) this.sim.schedule((over * i) / size, this.oneHandler);
  }
}
