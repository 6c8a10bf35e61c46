/**
 * Reads a child process's memory through its inspector (the process runs with --inspect=127.0.0.1:0
 * and prints where it listens): forces full garbage collections, reads process.memoryUsage() and
 * takes heap snapshots, without any code of the app's own for it.
 */
import { writeFileSync } from "node:fs";
import { waitUntil } from "./stack";

export type MemoryUsage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };

/** NODE_OPTIONS that open the inspector on a free loopback port. */
export const INSPECTOR_NODE_OPTIONS = "--inspect=127.0.0.1:0";

export async function connectInspector(output: () => string) {
  const url = (await waitUntil("the inspector's address", () => /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1], 30_000, 25))!;
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`could not reach the inspector at ${url}`)), { once: true });
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let onChunk: ((chunk: string) => void) | undefined;
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: { chunk: string } };
    if (data.method === "HeapProfiler.addHeapSnapshotChunk") return onChunk?.(data.params!.chunk);
    const waiting = data.id === undefined ? undefined : pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id!);
    if (data.error) waiting.reject(new Error(data.error.message));
    else waiting.resolve(data.result);
  });
  const call = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });

  return {
    /** Memory as it stands, garbage included. */
    async memoryNow(): Promise<MemoryUsage> {
      const answer = await call<{ result: { value: string } }>("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true });
      return JSON.parse(answer.result.value) as MemoryUsage;
    },
    /** Memory after two full collections (the second frees what the first's finalizers let go). */
    async memoryAfterGc(): Promise<MemoryUsage> {
      await call("HeapProfiler.collectGarbage");
      await call("HeapProfiler.collectGarbage");
      const answer = await call<{ result: { value: string } }>("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true });
      return JSON.parse(answer.result.value) as MemoryUsage;
    },
    /** A heap snapshot (taking one collects garbage first), written to `path` for DevTools or heap-compare.ts. */
    async writeHeapSnapshot(path: string) {
      const chunks: string[] = [];
      onChunk = (chunk) => chunks.push(chunk);
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      onChunk = undefined;
      writeFileSync(path, chunks.join(""));
    },
    close() {
      socket.close();
    },
  };
}
