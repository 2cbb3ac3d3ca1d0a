/**
 * The clock every process of the bench stamps events with: milliseconds since the Unix epoch, as
 * `performance.timeOrigin + performance.now()`. Within a process it is monotonic with sub-ms
 * resolution (Date.now() is whole ms and may step); across processes of one machine it agrees to
 * the accuracy with which each process anchored `timeOrigin` to the wall clock at start-up — the
 * bench measures that offset with an IPC round trip and prints it. The control plane's ledger
 * stamps with `new Date()` (whole ms, same wall clock).
 */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** A `performance.now()` reading of this process on the shared clock. */
export const toEpoch = (perfNow: number): number => performance.timeOrigin + perfNow;
