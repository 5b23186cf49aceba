// SPDX-License-Identifier: MIT
// Generates tests/vectors/bn254_vectors.json with @noble/curves (an implementation nobody
// here wrote): scalar multiplications, additions, pairings, hashToG1 by try-and-increment
// (written here on noble's field arithmetic: noble has no such hash), BLS keys, signatures,
// aggregates, γ values, proofs of possession, and invalid encodings.
// Usage: node tests/vectors/gen_bn254.mjs [--check]   (--check: regenerate and compare
// with the committed file, exit 1 on any difference)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bn254 } from '@noble/curves/bn254.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'bn254_vectors.json');
const { Fp, Fp2, Fp12 } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const P = Fp.ORDER;
const R = bn254.fields.Fr.ORDER;

const hex32 = (n) => n.toString(16).padStart(64, '0');
const toHex = (b) => Buffer.from(b).toString('hex');
const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const big = (b) => BigInt('0x' + (toHex(b) || '0'));
const keccak = (b) => keccak_256(b);

// deterministic "random" scalars from keccak of a label
const scalar = (label, mod = R) => big(keccak(new TextEncoder().encode(label))) % mod;

const encG1 = (pt) => {
  if (pt.equals(G1.ZERO)) return '00'.repeat(64);
  const a = pt.toAffine();
  return hex32(a.x) + hex32(a.y);
};
const encG2 = (pt) => {
  if (pt.equals(G2.ZERO)) return '00'.repeat(128);
  const a = pt.toAffine();
  return hex32(a.x.c1) + hex32(a.x.c0) + hex32(a.y.c1) + hex32(a.y.c0);
};
const encGT = (e) => toHex(Fp12.toBytes(e));
const mulG1 = (pt, k) => (k % R === 0n ? G1.ZERO : pt.multiplyUnsafe(k % R));
const mulG2 = (pt, k) => (k % R === 0n ? G2.ZERO : pt.multiplyUnsafe(k % R));

// hashToG1, try-and-increment (EigenLayer BN254.hashToG1)
const SQRT_EXP = (P + 1n) / 4n;
function hashToG1(digest) {
  let x = big(digest) % P;
  let tries = 0;
  for (;;) {
    const beta = Fp.add(Fp.mul(Fp.mul(x, x), x), 3n);
    const y = Fp.pow(beta, SQRT_EXP);
    tries++;
    if (Fp.eql(Fp.mul(y, y), beta)) return { pt: G1.fromAffine({ x, y }), tries };
    x = Fp.add(x, 1n);
  }
}

function gamma(msg, apk1, apk2, sig) {
  const inp = fromHex(toHex(msg) + encG1(apk1) + encG2(apk2) + encG1(sig));
  return big(keccak(inp)) % R;
}

function verify(msg, apk1, apk2, sig) {
  const g = gamma(msg, apk1, apk2, sig);
  const h = hashToG1(msg).pt;
  const lhs = sig.add(mulG1(apk1, g));
  const rhs = h.add(mulG1(G1.BASE, g));
  const e = Fp12.mul(bn254.pairing(lhs, G2.BASE.negate()), bn254.pairing(rhs, apk2));
  return Fp12.eql(e, Fp12.ONE);
}

const v = { generator: 'tests/vectors/gen_bn254.mjs, @noble/curves 2.4.0', p: hex32(P), r: hex32(R) };

// scalar multiplication, including edge scalars (ecMul takes any 256-bit k)
const edge = [0n, 1n, 2n, R - 1n, R, R + 1n, 2n ** 256n - 1n];
const ks = edge.concat([...Array(8).keys()].map((i) => scalar('k' + i, 2n ** 256n)));
v.g1_mul = ks.map((k) => ({ k: hex32(k), p: encG1(mulG1(G1.BASE, k)) }));
v.g2_mul = ks.map((k) => ({ k: hex32(k), p: encG2(mulG2(G2.BASE, k)) }));
// scalar times a non-generator point
const base1 = mulG1(G1.BASE, scalar('base1'));
const base2 = mulG2(G2.BASE, scalar('base2'));
v.g1_mul_point = ks.slice(7, 11).map((k) => ({ p: encG1(base1), k: hex32(k), out: encG1(mulG1(base1, k)) }));
v.g2_mul_point = ks.slice(7, 11).map((k) => ({ p: encG2(base2), k: hex32(k), out: encG2(mulG2(base2, k)) }));

// additions, including doubling, inverse points and infinity
const a1 = mulG1(G1.BASE, scalar('a1')), b1 = mulG1(G1.BASE, scalar('b1'));
v.g1_add = [
  [a1, b1], [a1, a1], [a1, a1.negate()], [a1, G1.ZERO], [G1.ZERO, G1.ZERO],
].map(([x, y]) => ({ a: encG1(x), b: encG1(y), sum: encG1(x.add(y)) }));
const a2 = mulG2(G2.BASE, scalar('a2')), b2 = mulG2(G2.BASE, scalar('b2'));
v.g2_add = [
  [a2, b2], [a2, a2], [a2, a2.negate()], [a2, G2.ZERO],
].map(([x, y]) => ({ a: encG2(x), b: encG2(y), sum: encG2(x.add(y)) }));

// pairings
v.pairing = [];
for (let i = 0; i < 4; i++) {
  const x = i === 0 ? 1n : scalar('pa' + i), y = i === 0 ? 1n : scalar('pb' + i);
  const p = mulG1(G1.BASE, x), q = mulG2(G2.BASE, y);
  v.pairing.push({ p: encG1(p), q: encG2(q), e: encGT(bn254.pairing(p, q)) });
}

// hashToG1
v.hash_to_g1 = [];
const digests = ['00'.repeat(32), 'ff'.repeat(32), hex32(P), hex32(P - 1n)];
for (let i = 0; i < 12; i++) digests.push(toHex(keccak(new TextEncoder().encode('msg' + i))));
for (const d of digests) {
  const { pt, tries } = hashToG1(fromHex(d));
  v.hash_to_g1.push({ digest: d, p: encG1(pt), tries });
}

// BLS keys and signatures
const keyOf = (sk) => ({ sk, g1: mulG1(G1.BASE, sk), g2: mulG2(G2.BASE, sk) });
v.bls = [];
for (let i = 0; i < 6; i++) {
  const { sk, g1, g2 } = keyOf(i === 0 ? 1n : i === 1 ? R - 1n : scalar('sk' + i));
  const msg = keccak(new TextEncoder().encode('result' + i));
  const sig = mulG1(hashToG1(msg).pt, sk);
  if (!verify(msg, g1, g2, sig)) throw new Error('noble: own signature does not verify');
  v.bls.push({
    sk: hex32(sk), pk_g1: encG1(g1), pk_g2: encG2(g2), msg: toHex(msg), sig: encG1(sig),
    gamma: hex32(gamma(msg, g1, g2, sig)),
    operator_id: toHex(keccak(fromHex(encG1(g1)))),
  });
}

// aggregates of 1, 3 and 10 signers on one message
v.aggregate = [];
for (const n of [1, 3, 10]) {
  const msg = keccak(new TextEncoder().encode('agg' + n));
  const h = hashToG1(msg).pt;
  let apk1 = G1.ZERO, apk2 = G2.ZERO, sig = G1.ZERO;
  const sks = [];
  for (let i = 0; i < n; i++) {
    const k = keyOf(scalar('agg' + n + '-' + i));
    sks.push(hex32(k.sk));
    apk1 = apk1.add(k.g1);
    apk2 = apk2.add(k.g2);
    sig = sig.add(mulG1(h, k.sk));
  }
  if (!verify(msg, apk1, apk2, sig)) throw new Error('noble: aggregate does not verify');
  v.aggregate.push({ sks, msg: toHex(msg), apk_g1: encG1(apk1), apk_g2: encG2(apk2), sig: encG1(sig),
    gamma: hex32(gamma(msg, apk1, apk2, sig)) });
}

// proofs of possession: m = keccak256(abi.encode(operator, chainId, governance))
v.pop = [];
for (let i = 0; i < 3; i++) {
  const k = keyOf(scalar('pop' + i));
  const op = toHex(keccak(new TextEncoder().encode('op' + i))).slice(24);
  const gov = toHex(keccak(new TextEncoder().encode('gov' + i))).slice(24);
  const chainId = [31337n, 1n, 17000n][i];
  const msg = keccak(fromHex('00'.repeat(12) + op + hex32(chainId) + '00'.repeat(12) + gov));
  const sig = mulG1(hashToG1(msg).pt, k.sk);
  if (!verify(msg, k.g1, k.g2, sig)) throw new Error('noble: pop does not verify');
  v.pop.push({ sk: hex32(k.sk), operator: op, chain_id: Number(chainId), governance: gov,
    message: toHex(msg), sig: encG1(sig) });
}

// invalid encodings
const g1hex = encG1(G1.BASE);
v.invalid_g1 = [
  { enc: hex32(P) + hex32(2n), err: 'NONCANON' },
  { enc: hex32(1n) + hex32(P + 2n), err: 'NONCANON' },
  { enc: 'ff'.repeat(64), err: 'NONCANON' },
  { enc: hex32(1n) + hex32(3n), err: 'BADPOINT' },
  { enc: hex32(0n) + hex32(1n), err: 'BADPOINT' },
  { enc: g1hex.slice(0, 127) + ((parseInt(g1hex[127], 16) ^ 1).toString(16)), err: 'BADPOINT' },
];
// a point on the twist outside the order-r subgroup
let bad2 = null;
for (let i = 1n; !bad2; i++) {
  const x = Fp2.fromBigTuple([i, 1n]);
  const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), G2.CURVE().b);
  let y;
  try { y = Fp2.sqrt(rhs); } catch { continue; }
  const pt = G2.fromAffine({ x, y });
  if (!pt.isTorsionFree()) bad2 = pt;
}
const g2hex = encG2(G2.BASE);
const pHex = hex32(P);
v.invalid_g2 = [
  { enc: pHex + g2hex.slice(64), err: 'NONCANON' },
  { enc: g2hex.slice(0, 192) + pHex, err: 'NONCANON' },
  { enc: g2hex.slice(0, 255) + ((parseInt(g2hex[255], 16) ^ 1).toString(16)), err: 'BADPOINT' },
  // real and imaginary parts swapped: on no curve we accept
  { enc: g2hex.slice(64, 128) + g2hex.slice(0, 64) + g2hex.slice(192, 256) + g2hex.slice(128, 192), err: 'BADPOINT' },
  { enc: encG2(bad2), err: 'BADPOINT', note: 'on the twist, not in the order-r subgroup' },
];

const text = JSON.stringify(v, null, 1) + '\n';
if (process.argv.includes('--check')) {
  const old = readFileSync(OUT, 'utf8');
  if (old !== text) {
    console.error('bn254_vectors.json differs from what @noble/curves computes now');
    process.exit(1);
  }
  console.log('bn254_vectors.json matches @noble/curves');
} else {
  writeFileSync(OUT, text);
  console.log('wrote', OUT);
}
