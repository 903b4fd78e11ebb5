// An optional observer of every finished client request (not health checks), for writing
// access logs. The balancer calls it where a request gets its answer; with no sink that is one
// null check per request and nothing else. Plain numbers only, so calling it allocates nothing.

export interface RequestSink {
  /**
   * A request that arrived at tArrive ended now with `cause` (0 = success, see CAUSES) at
   * `container` (-1: never sent to one). attemptStart is when its last attempt was sent
   * (nginx retries on another server; otherwise tArrive).
   */
  request(tArrive: number, attemptStart: number, now: number, endpoint: number, container: number, cause: number): void;
}
