// SPDX-License-Identifier: MIT
// Peer for bench/keys: the same operations with @noble/curves (secp256k1) and
// @noble/hashes (keccak, scrypt) from node_modules, printed as "<name> <ops/s>" lines.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { scrypt } from '@noble/hashes/scrypt.js';

const seconds = Number(process.argv[2] || 1);
function rate(name, fn) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  let dt = 0;
  while (dt < seconds * 1e9) {
    for (let i = 0; i < 16; i++) fn(n++);
    dt = Number(process.hrtime.bigint() - t0);
  }
  console.log(`${name} ${(n / (dt / 1e9)).toFixed(1)}`);
}
const sk = Uint8Array.from(Buffer.from('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'hex'));
const digest = keccak_256(new Uint8Array([1, 2, 3]));
const sig = secp256k1.sign(digest, sk, { prehash: false, format: 'recovered' });
rate('ecdsa_sign', () => secp256k1.sign(digest, sk, { prehash: false, format: 'recovered' }));
rate('ecdsa_recover', () => secp256k1.recoverPublicKey(sig, digest, { prehash: false }));
const t0 = process.hrtime.bigint();
scrypt(new TextEncoder().encode('pw'), new Uint8Array(32), { N: 262144, r: 8, p: 1, dkLen: 32, maxmem: 2 ** 29 });
console.log(`scrypt_n262144_ms ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)}`);
