// SPDX-License-Identifier: MIT
// Independent BN254 BLS implementation for the contract tests, built on @noble/curves
// (not on anything in this repository). Called by forge through vm.ffi; prints one hex
// string: the ABI encoding of a uint256[] with the requested numbers.
// Usage: node bls.mjs <command> <args...>   (numbers in decimal or 0x-hex)
//   pk <sk>                 -> [g1x, g1y, g2x1, g2x0, g2y1, g2y0]
//   hash <m>                -> hashToG1(m) = [x, y]          (try-and-increment)
//   sign <m> <sk>...        -> sum of sk_i * hashToG1(m) = [x, y]
//   apk <sk>...             -> sum of the keys = [g1x, g1y, g2x1, g2x0, g2y1, g2y0]
//   pkpop (<m> <sk>)...     -> per pair: [g1x, g1y, g2x1, g2x0, g2y1, g2y0, popx, popy]
//                              (popx, popy) = sk * hashToG1(m)
//   subsets <sk>...         -> for mask 0..2^n-1, the G2 sum of keys i with bit i set: 4 words each
//   verify <m> <sx> <sy> <g1x> <g1y> <g2x1> <g2x0> <g2y1> <g2y0>
//                           -> [1] if e(s + γ·apk1, −G2)·e(H(m) + γ·G1, apk2) = 1 else [0]
import { bn254 } from '@noble/curves/bn254.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

const { Fp, Fr } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const P = Fp.ORDER;
const R = Fr.ORDER;

const big = (s) => BigInt(s);
const word = (v) => v.toString(16).padStart(64, '0');

function hashToG1(m) {
  let x = m % P;
  for (;;) {
    const beta = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
    const y = Fp.pow(beta, (P + 1n) / 4n);
    if (Fp.sqr(y) === beta) return G1.fromAffine({ x, y });
    x = Fp.add(x, 1n);
  }
}

function g1Words(pt) {
  if (pt.equals(G1.ZERO)) return [0n, 0n];
  const a = pt.toAffine();
  return [a.x, a.y];
}

function g2Words(pt) {
  if (pt.equals(G2.ZERO)) return [0n, 0n, 0n, 0n];
  const a = pt.toAffine();
  return [a.x.c1, a.x.c0, a.y.c1, a.y.c0];
}

const g2From = (w) => G2.fromAffine({ x: { c0: w[1], c1: w[0] }, y: { c0: w[3], c1: w[2] } });
const g1From = (w) => (w[0] === 0n && w[1] === 0n ? G1.ZERO : G1.fromAffine({ x: w[0], y: w[1] }));

function sumG1(pts) {
  return pts.reduce((a, b) => a.add(b), G1.ZERO);
}

function sumG2(pts) {
  return pts.reduce((a, b) => a.add(b), G2.ZERO);
}

function verify(m, sig, apk1, apk2) {
  const bytes = Buffer.from([m, ...g1Words(apk1), ...g2Words(apk2), ...g1Words(sig)].map(word).join(''), 'hex');
  const gamma = BigInt('0x' + Buffer.from(keccak_256(bytes)).toString('hex')) % R;
  const lhs = sig.add(apk1.multiply(gamma === 0n ? R : gamma));
  const h = hashToG1(m).add(G1.BASE.multiply(gamma === 0n ? R : gamma));
  const a = bn254.pairing(lhs.equals(G1.ZERO) ? G1.ZERO : lhs, G2.BASE.negate());
  const b = bn254.pairing(h, apk2);
  return bn254.fields.Fp12.eql(bn254.fields.Fp12.mul(a, b), bn254.fields.Fp12.ONE);
}

const [cmd, ...rest] = process.argv.slice(2);
const args = rest.map(big);
let out;
switch (cmd) {
  case 'pk': {
    const sk = args[0];
    out = [...g1Words(G1.BASE.multiply(sk)), ...g2Words(G2.BASE.multiply(sk))];
    break;
  }
  case 'hash':
    out = g1Words(hashToG1(args[0]));
    break;
  case 'sign': {
    const h = hashToG1(args[0]);
    out = g1Words(sumG1(args.slice(1).map((sk) => h.multiply(sk))));
    break;
  }
  case 'apk':
    out = [
      ...g1Words(sumG1(args.map((sk) => G1.BASE.multiply(sk)))),
      ...g2Words(sumG2(args.map((sk) => G2.BASE.multiply(sk)))),
    ];
    break;
  case 'pkpop': {
    out = [];
    for (let i = 0; i + 1 < args.length; i += 2) {
      const [m, sk] = [args[i], args[i + 1]];
      out.push(...g1Words(G1.BASE.multiply(sk)), ...g2Words(G2.BASE.multiply(sk)));
      out.push(...g1Words(hashToG1(m).multiply(sk)));
    }
    break;
  }
  case 'subsets': {
    const keys = args.map((sk) => G2.BASE.multiply(sk));
    out = [];
    for (let mask = 0; mask < 1 << keys.length; mask++) {
      out.push(...g2Words(sumG2(keys.filter((_, i) => (mask >> i) & 1))));
    }
    break;
  }
  case 'verify': {
    const ok = verify(args[0], g1From(args.slice(1, 3)), g1From(args.slice(3, 5)), g2From(args.slice(5, 9)));
    out = [ok ? 1n : 0n];
    break;
  }
  default:
    process.stderr.write(`bls.mjs: unknown command ${cmd}\n`);
    process.exit(2);
}
process.stdout.write('0x' + word(32n) + word(BigInt(out.length)) + out.map(word).join(''));
