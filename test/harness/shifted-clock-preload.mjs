// Test-only, loaded with `node --import` into a process the test starts (never into the app's own
// code): the process's clock reads CLOCK_OFFSET_MS ahead of the machine's and runs at the same pace.
// Everything in the process that asks the time (BullMQ's delayed jobs, the app, its logs) sees the
// same shifted date, so a test can start a real worker just before an instant months away and watch
// it pick up the job due then, by the clock, with no promote() standing in for time.
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);

if (offset) {
  const RealDate = globalThis.Date;
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === "now" ? now : Reflect.get(target, property, receiver)),
  });
}
