import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { workerNodeArgs } from "../../workers/launch";

export type RunningProcess = {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const TSX = resolve("node_modules/tsx/dist/cli.mjs");
/** How long a started process may take to print what the test waits for. */
const STARTUP_DEADLINE_MS = 90_000;

/** Starts a real child process with exactly the given environment (plus PATH and HOME). */
export function startProcess(args: string[], env: Record<string, string | undefined>): RunningProcess {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal })),
  );

  return {
    child,
    output: () => output,
    exited: () => exit,
    // A safety net, not a measure: on a loaded machine (load average 25 on two cores, seen here) a
    // worker took over 20 s just to load; what a test proves is that it got ready, not how fast.
    async waitForOutput(pattern, timeoutMs = STARTUP_DEADLINE_MS) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`process did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** The built app served by server.mjs, as `npm start` runs it in production. */
export function startAppServer(env: Record<string, string | undefined>): RunningProcess {
  return startProcess([resolve("server.mjs")], env);
}

/**
 * The real worker process (`npm run worker`), as one process: tsx's CLI would start the worker as
 * a child of its own, which a SIGKILL of the CLI leaves running.
 */
export function startWorkerProcess(env: Record<string, string | undefined>): RunningProcess {
  return startProcess(workerNodeArgs(), env);
}

export function startTsxScript(script: string, args: string[], env: Record<string, string | undefined>): RunningProcess {
  return startProcess([TSX, resolve(script), ...args], env);
}

/**
 * A TypeScript helper as one process (`node --import tsx`), like the worker: stopping it stops it
 * all, where tsx's CLI would leave its child running after a SIGKILL.
 */
export function startTsxProcess(script: string, args: string[], env: Record<string, string | undefined>): RunningProcess {
  return startProcess(["--import", "tsx", resolve(script), ...args], env);
}
