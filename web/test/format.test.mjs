// SPDX-License-Identifier: MIT
// The dashboard's number formatting (web/dist/format.js), table-driven: wei as ETH and
// int256 wads as decimals, exact with BigInt, rounding and carries included. Prints one
// line per case and "N passed, N failed" last.
import { bps, eth, score, short, span } from "../dist/format.js";

const cases = [
  [eth, ["0"], "0"],
  [eth, ["1000000000000000000"], "1"],
  [eth, ["9200000000000000000"], "9.2"],
  [eth, ["10000000000000000"], "0.01"],
  [eth, ["32000000000000000000"], "32"],
  [eth, ["1"], "<0.0001"],
  [eth, ["999999999999999999"], "1"],
  [eth, ["123456789000000000000"], "123.4568"],
  [eth, ["115792089237316195423570985008687907853269984665640564039457584007913129639935"], "115792089237316195423570985008687907853269984665640564039457.584"],
  [eth, ["12345", 6], "<0.000001"],
  [eth, ["not a number"], "?"],
  [score, ["950000000000000000"], "0.950000"],
  [score, ["-1500000000000000000"], "-1.500000"],
  [score, ["499999999"], "0.000000"],
  [score, ["-400000000000"], "0.000000"],
  [score, ["1000000000000"], "0.000001"],
  [score, ["8999999999000000000000000000"], "8999999999.000000"],
  [score, ["50000000000000000", 3], "0.050"],
  [short, ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"], "0x7099…79c8"],
  [short, ["0x1234"], "0x1234"],
  [span, [59], "59s"],
  [span, [3600], "60m"],
  [span, [86400 * 3], "3d"],
  [bps, [2000], "20%"],
  [bps, [125], "1.25%"],
];

let passed = 0;
let failed = 0;
for (const [fn, args, want] of cases) {
  const got = fn(...args);
  const ok = got === want;
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${fn.name}(${args.join(", ")}) = ${JSON.stringify(got)}${ok ? "" : ` (want ${JSON.stringify(want)})`}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
