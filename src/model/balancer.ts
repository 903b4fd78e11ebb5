// Routing requests to containers. Round robin is ALB's default and what a textbook model
// needs; the fleet issue adds Classic ELB's least-outstanding-requests.

export class RoundRobin {
  private next = 0;
  constructor(private readonly targets: number) {}

  pick(): number {
    const t = this.next;
    this.next = t + 1 === this.targets ? 0 : t + 1;
    return t;
  }
}
