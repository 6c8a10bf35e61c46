import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../app/logger.server";

/** A real pino logger (with the app's redaction) whose output a test can read back as text. */
export function captureLogs({ name = "test", level = "trace" }: { name?: string; level?: string } = {}): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ name, level, destination }), text: () => lines.join("") };
}
