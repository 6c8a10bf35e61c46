// `node scripts/with-node.mjs <command> [args…]`: runs the command under the project's Node.
// Every npm script that runs project code starts here, so `npm install`, `npm test` and
// `npm run sandbox` work on a machine whose Node is older than 22.12 (Debian 12's is 20): the
// command gets Node 22 (brought into .tools/ once) first on PATH, so it and everything it starts
// (`npm run` inside it, tsx, vitest, prisma, child processes via process.execPath) run on 22.
// On a machine whose Node is recent enough it only starts the command.
import { spawn } from "node:child_process";
import { projectNodeEnv } from "./project-node.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: node scripts/with-node.mjs <command> [args…]\n");
  process.exit(2);
}

let env;
try {
  env = projectNodeEnv();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}

// npm forwards signals to the script it runs (this process); pass them on so the command can stop
// cleanly (the sandbox, server and worker all stop on SIGINT/SIGTERM, and tolerate a repeat).
// Listening before the spawn: the command may already be running, and be signalled, before the
// line after spawn() runs. Handlers run on the event loop, so `child` is set by then.
let child;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}

// The command is looked up on the new PATH; no shell, so arguments reach it exactly as given.
child = spawn(command, args, { env, stdio: "inherit" });

child.on("error", (error) => {
  process.stderr.write(`Could not start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal, as the command did, so callers see the real outcome.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
