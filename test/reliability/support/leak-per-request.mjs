// Test-only, loaded with `node --import` into the web process when the fuzz case is asked to prove its
// memory bound can fail (FUZZ_LEAK_BYTES_PER_REQUEST): every HTTP request served keeps a string of that
// many bytes forever, as a cache without a bound or a listener never removed would.
import { randomBytes } from "node:crypto";
import { Server } from "node:http";

const bytes = Number(process.env.LEAK_BYTES_PER_REQUEST);
const kept = [];
globalThis.__injectedLeak = kept;
const emit = Server.prototype.emit;
Server.prototype.emit = function emitAndLeak(event, ...args) {
  if (event === "request") kept.push(randomBytes(Math.ceil(bytes / 2)).toString("hex"));
  return emit.call(this, event, ...args);
};
