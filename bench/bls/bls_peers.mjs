// SPDX-License-Identifier: MIT
// The operations of bench_bls.c timed with @noble/curves and mcl-wasm (BN_SNARK1, the
// Ethereum curve) in this process; prints "<lib> <name> <ms per op> <iterations>" lines.
// hashToG1 is try-and-increment on each library's field arithmetic (neither ships it).
// Usage: node bench/bls/bls_peers.mjs [seconds per operation]
import { createRequire } from 'node:module';
import { bn254 } from '@noble/curves/bn254.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

const require = createRequire(import.meta.url);
const mcl = require('mcl-wasm');
const budget = Number(process.argv[2] || 0.4) * 1000;

// CPU time of this process (user + system), like bench_bls.c: fair on a shared machine.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function bench(lib, name, inner, fn) {
  let iters = 0;
  const t0 = cpuMs();
  let t;
  do {
    fn();
    iters++;
  } while ((t = cpuMs() - t0) < budget || iters < 3);
  console.log(`${lib} ${name} ${(t / (iters * inner)).toFixed(6)} ${iters}`);
}

const enc = new TextEncoder();
const big = (b) => BigInt('0x' + Buffer.from(b).toString('hex'));
const R = bn254.fields.Fr.ORDER;
const kBig = big(keccak_256(enc.encode('bench-scalar'))) % R;
const msg = keccak_256(enc.encode('bench-message'));

// ---- noble ---------------------------------------------------------------------------------
{
  const { Fp, Fp12 } = bn254.fields;
  const G1 = bn254.G1.Point, G2 = bn254.G2.Point;
  const P = Fp.ORDER, E = (P + 1n) / 4n;
  const hash = (d) => {
    let x = big(d) % P;
    for (;;) {
      const beta = Fp.add(Fp.mul(Fp.mul(x, x), x), 3n);
      const y = Fp.pow(beta, E);
      if (Fp.eql(Fp.mul(y, y), beta)) return G1.fromAffine({ x, y });
      x = Fp.add(x, 1n);
    }
  };
  let a = kBig % P;
  bench('noble', 'fp_mul', 1000, () => { for (let i = 0; i < 1000; i++) a = Fp.mul(a, kBig); });
  bench('noble', 'g1_mul', 1, () => G1.BASE.multiply(kBig));
  bench('noble', 'g2_mul', 1, () => G2.BASE.multiply(kBig));
  let c = 0;
  bench('noble', 'hash_to_g1', 1, () => { const m = msg.slice(); m[0] = c++ & 255; hash(m); });
  const p1 = G1.BASE.multiply(kBig), p2 = G2.BASE.multiply(kBig);
  bench('noble', 'pairing', 1, () => bn254.pairing(p1, p2));
  const check2 = (a1, b1, a2, b2) =>
    Fp12.eql(bn254.pairingBatch([{ g1: a1, g2: b1 }, { g1: a2, g2: b2 }]), Fp12.ONE);
  if (!check2(p1, G2.BASE, G1.BASE.negate(), p2)) throw new Error('noble check2');
  bench('noble', 'pairing_check2', 1, () => check2(p1, G2.BASE, G1.BASE.negate(), p2));
  const sk = kBig, pk1 = G1.BASE.multiply(sk), pk2 = G2.BASE.multiply(sk);
  const negG2 = G2.BASE.negate();
  let sig;
  bench('noble', 'sign', 1, () => { sig = hash(msg).multiply(sk); });
  bench('noble', 'verify', 1, () => check2(sig, negG2, hash(msg), pk2));
  const enc1 = (p) => { const q = p.toAffine(); return q.x.toString(16).padStart(64, '0') + q.y.toString(16).padStart(64, '0'); };
  const enc2 = (p) => { const q = p.toAffine(); return [q.x.c1, q.x.c0, q.y.c1, q.y.c0].map((v) => v.toString(16).padStart(64, '0')).join(''); };
  const gammaCheck = () => {
    const g = big(keccak_256(Buffer.from(Buffer.from(msg).toString('hex') + enc1(pk1) + enc2(pk2) + enc1(sig), 'hex'))) % R;
    return check2(sig.add(pk1.multiplyUnsafe(g)), negG2, hash(msg).add(G1.BASE.multiplyUnsafe(g)), pk2);
  };
  if (!gammaCheck()) throw new Error('noble gamma');
  bench('noble', 'gamma_check', 1, gammaCheck);
  const h = hash(msg);
  const sigs = [];
  for (let i = 0; i < 1000; i++) sigs.push(G1.fromAffine(h.multiply(BigInt(i + 2)).toAffine()));
  bench('noble', 'aggregate_100', 1, () => sigs.slice(0, 100).reduce((s, p) => s.add(p), G1.ZERO).toAffine());
  bench('noble', 'aggregate_1000', 1, () => sigs.reduce((s, p) => s.add(p), G1.ZERO).toAffine());
}

// ---- mcl-wasm ------------------------------------------------------------------------------
await mcl.init(mcl.BN_SNARK1);
mcl.setETHserialization(true);
{
  const fr = new mcl.Fr();
  fr.setStr(kBig.toString(16), 16);
  const g1 = new mcl.G1();
  g1.setStr('1 1 2', 10);
  const g2 = new mcl.G2();
  g2.setStr('1 10857046999023057135944570762232829481370756359578518086990519993285655852781 ' +
    '11559732032986387107991004021392285783925812861821192530917403151452391805634 ' +
    '8495653923123431417604973247489272438418190587263600148770280649306958101930 ' +
    '4082367875863433681332203403145435568316851327593401208105741076214120093531', 10);
  const fpK = new mcl.Fp();
  fpK.setStr(kBig.toString(16), 16);
  let a = fpK.clone();
  bench('mcl', 'fp_mul', 1000, () => { for (let i = 0; i < 1000; i++) a = mcl.mul(a, fpK); });
  bench('mcl', 'g1_mul', 1, () => mcl.mul(g1, fr));
  bench('mcl', 'g2_mul', 1, () => mcl.mul(g2, fr));
  const three = new mcl.Fp();
  three.setInt(3);
  const one = new mcl.Fp();
  one.setInt(1);
  const P = BigInt('0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47');
  const hash = (d) => {
    const x = new mcl.Fp();
    let xv = x;
    xv.setStr((big(d) % P).toString(16), 16);
    for (;;) {
      const beta = mcl.add(mcl.mul(mcl.sqr(xv), xv), three);
      const [ok, y] = mcl.squareRoot(beta);
      if (ok && mcl.sqr(y).isEqual(beta)) {
        const pt = new mcl.G1();
        pt.setX(xv);
        pt.setY(y);
        pt.setZ(one);
        return pt;
      }
      xv = mcl.add(xv, one);
    }
  };
  let c = 0;
  bench('mcl', 'hash_to_g1', 1, () => { const m = msg.slice(); m[0] = c++ & 255; hash(m); });
  const p1 = mcl.mul(g1, fr), p2 = mcl.mul(g2, fr);
  bench('mcl', 'pairing', 1, () => mcl.pairing(p1, p2));
  const negG1 = mcl.neg(g1), negG2 = mcl.neg(g2);
  const check2 = (a1, b1, a2, b2) => mcl.finalExp(mcl.mul(mcl.millerLoop(a1, b1), mcl.millerLoop(a2, b2))).isOne();
  if (!check2(p1, g2, negG1, p2)) throw new Error('mcl check2');
  bench('mcl', 'pairing_check2', 1, () => check2(p1, g2, negG1, p2));
  const pk1 = mcl.mul(g1, fr), pk2 = mcl.mul(g2, fr);
  let sig;
  bench('mcl', 'sign', 1, () => { sig = mcl.mul(hash(msg), fr); });
  if (!check2(sig, negG2, hash(msg), pk2)) throw new Error('mcl verify');
  bench('mcl', 'verify', 1, () => check2(sig, negG2, hash(msg), pk2));
  const hex1 = (p) => { const q = mcl.normalize(p); return q.getX().getStr(16).padStart(64, '0') + q.getY().getStr(16).padStart(64, '0'); };
  const hex2 = (p) => {
    const q = mcl.normalize(p), x = q.getX(), y = q.getY();
    return [x.get_b(), x.get_a(), y.get_b(), y.get_a()].map((v) => v.getStr(16).padStart(64, '0')).join('');
  };
  const gammaCheck = () => {
    const gh = Buffer.from(keccak_256(Buffer.from(Buffer.from(msg).toString('hex') + hex1(pk1) + hex2(pk2) + hex1(sig), 'hex'))).toString('hex');
    const g = new mcl.Fr();
    g.setBigEndianMod(Buffer.from(gh, 'hex'));
    return check2(mcl.add(sig, mcl.mul(pk1, g)), negG2, mcl.add(hash(msg), mcl.mul(g1, g)), pk2);
  };
  if (!gammaCheck()) throw new Error('mcl gamma');
  bench('mcl', 'gamma_check', 1, gammaCheck);
  const h = hash(msg);
  const sigs = [];
  for (let i = 0; i < 1000; i++) {
    const s = new mcl.Fr();
    s.setInt(i + 2);
    sigs.push(mcl.normalize(mcl.mul(h, s)));
  }
  const sum = (n) => { let s = new mcl.G1(); for (let i = 0; i < n; i++) s = mcl.add(s, sigs[i]); return mcl.normalize(s); };
  bench('mcl', 'aggregate_100', 1, () => sum(100));
  bench('mcl', 'aggregate_1000', 1, () => sum(1000));
}
