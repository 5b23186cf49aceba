// SPDX-License-Identifier: MIT
// Reference CIDs from IPFS implementations nobody here wrote, for cross-checking src/store.
// Usage: node tests/support/ipfs-cid.mjs [--impl importer17|jsipfs12] [--chunk N] FILE...
// Prints one CIDv1 per line, as `ipfs add --cid-version=1` computes it: raw leaves, 256 KiB
// fixed chunks, balanced layout with at most 174 links per node. importer17 is
// ipfs-unixfs-importer 17.1.1 (its defaults); jsipfs12 is the importer bundled with the
// `ipfs` 0.66.1 package (ipfs-core's ipfs-unixfs-importer 12), with the options js-ipfs
// passes for `add --cid-version=1`. --chunk changes the chunk size (tests use tiny chunks
// to build deep DAGs from small files).
import { createReadStream } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const nm = path.join(root, 'node_modules')

// A blockstore that keeps nothing: only CIDs are wanted.
const sink = {
  put: async (cid) => cid,
  get: async () => { throw new Error('not stored') },
  has: async () => false
}

async function importerFor (impl) {
  if (impl === 'importer17') {
    const base = path.join(nm, 'ipfs-unixfs-importer/dist/src')
    const m = await import(pathToFileURL(path.join(base, 'index.js')))
    const c = await import(pathToFileURL(path.join(base, 'chunker/fixed-size.js')))
    const l = await import(pathToFileURL(path.join(base, 'layout/balanced.js')))
    return (file) => m.importer([{ content: file }], sink, {
      cidVersion: 1,
      rawLeaves: true,
      chunker: c.fixedSize({ chunkSize: chunk }),
      layout: l.balanced({ maxChildrenPerNode: 174 })
    })
  }
  if (impl === 'jsipfs12') {
    const m = await import(pathToFileURL(path.join(nm, 'ipfs-core/node_modules/ipfs-unixfs-importer/src/index.js')))
    return (file) => m.importer([{ content: file }], sink, {
      cidVersion: 1, rawLeaves: true, chunker: 'fixed', maxChunkSize: chunk,
      strategy: 'balanced', maxChildrenPerNode: 174, reduceSingleLeafToSelf: true
    })
  }
  throw new Error(`unknown --impl ${impl}`)
}

const args = process.argv.slice(2)
let impl = 'importer17'
let chunk = 262144
while (args[0] === '--impl' || args[0] === '--chunk') {
  if (args[0] === '--impl') impl = args[1]
  else chunk = Number(args[1])
  args.splice(0, 2)
}
const run = await importerFor(impl)
for (const f of args) {
  let last
  for await (const entry of run(createReadStream(f, { highWaterMark: 1 << 20 }))) last = entry
  process.stdout.write(last.cid.toString() + '\n')
}
