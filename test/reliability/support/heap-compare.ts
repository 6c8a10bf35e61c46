/* eslint-disable no-console -- a tool that prints a comparison for people to read */
/**
 * Compares two V8 heap snapshots (.heapsnapshot, as DevTools or support/inspector.ts write them) by
 * constructor: how many objects of each kind and how many bytes they hold themselves, before and
 * after, largest growth first. A leak shows as a kind whose count grows with the requests served.
 *
 *   npx tsx test/reliability/support/heap-compare.ts before.heapsnapshot after.heapsnapshot [rows]
 */
import { readFileSync } from "node:fs";

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

export type KindTotals = Map<string, { count: number; bytes: number }>;

/** Objects are grouped by constructor; strings, code, arrays and the like by their type. */
export function totalsByKind(path: string): KindTotals {
  const heap = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const totals: KindTotals = new Map();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt]];
    const kind = type === "object" || type === "closure" || type === "native" ? `${type} ${heap.strings[heap.nodes[i + nameAt]]}` : `(${type})`;
    const entry = totals.get(kind) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += heap.nodes[i + sizeAt];
    totals.set(kind, entry);
  }
  return totals;
}

export function compareHeaps(before: KindTotals, after: KindTotals) {
  const kinds = new Set([...before.keys(), ...after.keys()]);
  return [...kinds]
    .map((kind) => {
      const b = before.get(kind) ?? { count: 0, bytes: 0 };
      const a = after.get(kind) ?? { count: 0, bytes: 0 };
      return { kind, countBefore: b.count, countAfter: a.count, bytesBefore: b.bytes, bytesAfter: a.bytes, growth: a.bytes - b.bytes };
    })
    .sort((x, y) => Math.abs(y.growth) - Math.abs(x.growth));
}

const sum = (totals: KindTotals) => [...totals.values()].reduce((s, t) => ({ count: s.count + t.count, bytes: s.bytes + t.bytes }), { count: 0, bytes: 0 });

if (process.argv[1]?.endsWith("heap-compare.ts")) {
  const [beforePath, afterPath, rows = "25"] = process.argv.slice(2);
  const before = totalsByKind(beforePath);
  const after = totalsByKind(afterPath);
  const [b, a] = [sum(before), sum(after)];
  console.log(`whole heap: ${b.count} objects ${(b.bytes / 1e6).toFixed(2)} MB -> ${a.count} objects ${(a.bytes / 1e6).toFixed(2)} MB`);
  console.log("kind | count before -> after | bytes before -> after | growth");
  for (const row of compareHeaps(before, after).slice(0, Number(rows))) {
    console.log(`${row.kind.slice(0, 60)} | ${row.countBefore} -> ${row.countAfter} | ${row.bytesBefore} -> ${row.bytesAfter} | ${row.growth >= 0 ? "+" : ""}${row.growth}`);
  }
}
