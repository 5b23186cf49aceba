// SPDX-License-Identifier: MIT
// The peer of bench_store: MB/s of ipfs-unixfs-importer 17.1.1 computing the CID of FILE
// (same layout, blocks discarded), best of RUNS, measured inside one node process.
// Usage: node bench/store/importer-bench.mjs FILE [RUNS] — prints "<MB/s> <cid>".
import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const { importer } = await import(pathToFileURL(path.join(root, 'node_modules/ipfs-unixfs-importer/dist/src/index.js')))
const sink = { put: async (cid) => cid, has: async () => false }
const [file, runsArg] = process.argv.slice(2)
const runs = Number(runsArg ?? 3)
const mb = statSync(file).size / 1e6
let best = Infinity
let cid
for (let i = 0; i < runs; i++) {
  const t = process.hrtime.bigint()
  for await (const e of importer([{ content: createReadStream(file, { highWaterMark: 1 << 20 }) }], sink, { cidVersion: 1, rawLeaves: true })) cid = e.cid
  const s = Number(process.hrtime.bigint() - t) / 1e9
  if (s < best) best = s
}
console.log(`${(mb / best).toFixed(1)} ${cid}`)
