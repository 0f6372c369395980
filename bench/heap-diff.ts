// What grew between two heap snapshots of one bot (`--soak --snapshots DIR`
// writes one after warm-up and one at the end): objects summed by kind and
// constructor, largest growth first.
//
//   node --import tsx bench/heap-diff.ts DIR/runtime-2400.heapsnapshot DIR/runtime-12000.heapsnapshot [top]
import { readFileSync } from 'node:fs'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

interface Kind {
  count: number
  bytes: number
}

/** Self size and count by `type:name` (e.g. `object:Map`, `string:(string)`), for one snapshot. */
export function kindsOf(snapshot: Snapshot): Map<string, Kind> {
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0]
  const width = fields.length
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')]
  const kinds = new Map<string, Kind>()
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?'
    // Strings and code are named by their content: one kind each, whatever they say.
    const name = type === 'object' || type === 'closure' || type === 'native' ? (snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?') : `(${type})`
    const key = `${type}:${name}`
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 }
    kind.count++
    kind.bytes += snapshot.nodes[i + sizeAt] ?? 0
    kinds.set(key, kind)
  }
  return kinds
}

export function heapDiff(before: Map<string, Kind>, after: Map<string, Kind>, top: number): string {
  const rows = [...after].map(([key, a]) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 }
    return { key, count: a.count - b.count, bytes: a.bytes - b.bytes }
  })
  const total = (m: Map<string, Kind>) => [...m.values()].reduce((sum, k) => sum + k.bytes, 0)
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`
  return [
    `heap: ${mb(total(before))} → ${mb(total(after))}`,
    ...rows
      .sort((x, y) => y.bytes - x.bytes)
      .slice(0, top)
      .map((r) => `${mb(r.bytes).padStart(10)}  ${String(r.count).padStart(8)}  ${r.key}`),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [a, b, top] = process.argv.slice(2)
  if (!a || !b) {
    process.stderr.write('usage: node --import tsx bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [top]\n')
    process.exit(2)
  }
  const read = (file: string) => kindsOf(JSON.parse(readFileSync(file, 'utf8')) as Snapshot)
  process.stdout.write(`${heapDiff(read(a), read(b), Number(top ?? 25))}\n`)
}
