// Active annotation time for one image, from open to submit: the time between inputs (pointer, keys,
// wheel) counts, a gap longer than IDLE_MS counts not at all (the annotator was away, not working).

/** Gaps without input longer than this are left out: a minute, as issue 10 asks. */
export const IDLE_MS = 60_000;

export class ActiveTimer {
  /** `now` is injectable so the rule can be checked with a fake clock. */
  constructor(now = () => performance.now()) {
    this.now = now;
    this.activeMs = 0;
    this.last = now();
  }

  /** Something happened: the gap since the last input counts if it was short enough. */
  input() {
    const t = this.now();
    const gap = t - this.last;
    if (gap > 0 && gap <= IDLE_MS) this.activeMs += gap;
    this.last = t;
  }

  /** Active seconds so far, up to now (the submit itself is an input). */
  seconds() {
    this.input();
    return Math.min(86400, this.activeMs / 1000);
  }
}
