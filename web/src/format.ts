// SPDX-License-Identifier: MIT
// Display formatting: wei as ETH (exact, with BigInt), int256 wad scores, addresses, times.

const WEI = 10n ** 18n;

/** Wei (decimal string) as ETH with at most `digits` decimals, trailing zeros removed. */
export function eth(wei: string, digits = 4): string {
  let v: bigint;
  try {
    v = BigInt(wei);
  } catch {
    return "?";
  }
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = v / WEI;
  const scale = 10n ** BigInt(digits);
  let frac = ((v % WEI) * scale + WEI / 2n) / WEI; // rounded to `digits`
  let w = whole;
  if (frac >= scale) {
    w += 1n;
    frac -= scale;
  }
  let f = frac.toString().padStart(digits, "0").replace(/0+$/, "");
  if (f === "" && v !== 0n && w === 0n) return (neg ? "-" : "") + "<0." + "0".repeat(digits - 1) + "1";
  return (neg ? "-" : "") + w.toString() + (f ? "." + f : "");
}

/** An int256 wad (decimal string, 18 decimals, 9 of them significant) as a decimal number. */
export function score(wad: string, digits = 6): string {
  let v: bigint;
  try {
    v = BigInt(wad);
  } catch {
    return "?";
  }
  const neg = v < 0n;
  if (neg) v = -v;
  const scale = 10n ** BigInt(digits);
  const scaled = (v * scale + WEI / 2n) / WEI;
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(digits, "0");
  return (neg && scaled !== 0n ? "-" : "") + whole.toString() + "." + frac;
}

/** 0x1234…cdef */
export function short(hex: string, keep = 4): string {
  if (hex.length <= 2 + keep * 2 + 1) return hex;
  return `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** A unix time as "YYYY-MM-DD HH:MM UTC" plus a relative hint. */
export function deadline(unix: number, now = Date.now() / 1000): string {
  const d = new Date(unix * 1000);
  const iso = d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  const left = unix - now;
  return `${iso} (${left >= 0 ? "in " + span(left) : span(-left) + " ago"})`;
}

export function span(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 90) return `${s}s`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function bps(v: number): string {
  return `${(v / 100).toFixed(v % 100 === 0 ? 0 : 2)}%`;
}
