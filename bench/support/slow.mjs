// A deliberate slowdown, to prove a bench's goals can fail: loaded with `--import` into the app's
// processes when BENCH_SLOW_MS is set, it delays by that many milliseconds every HTTP request the
// process serves, every fetch it makes, and (with BENCH_SLOW_REDIS=1) every Redis command it sends.
// Never loaded otherwise; the shipped app knows nothing of it.
import http from "node:http";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const ms = Number(process.env.BENCH_SLOW_MS ?? 0);
if (ms > 0) {
  const later = () => new Promise((done) => setTimeout(done, ms));

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...rest) {
    if (event !== "request") return emit.call(this, event, ...rest);
    setTimeout(() => emit.call(this, event, ...rest), ms);
    return true;
  };

  const fetch = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    await later();
    return fetch(...args);
  };

  if (process.env.BENCH_SLOW_REDIS === "1") {
    // The app imports ioredis as CommonJS, so this is the very class its connections use.
    const { Redis } = createRequire(resolve("package.json"))("ioredis");
    const sendCommand = Redis.prototype.sendCommand;
    // Equal delays fire in order, so commands still reach Redis in the order they were sent.
    Redis.prototype.sendCommand = function (command, stream) {
      setTimeout(() => sendCommand.call(this, command, stream), ms);
      return command.promise;
    };
  }
}
