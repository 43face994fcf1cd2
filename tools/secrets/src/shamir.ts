/**
 * Shamir secret sharing over GF(2^8) as in HashiCorp Vault / sops `shamir/shamir.go`:
 * used only for files with two or more key groups. Each share is the secret length
 * plus one byte, the last byte being the x coordinate.
 */
import { randomBytes } from 'node:crypto';

function mul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
    b >>= 1;
  }
  return r & 0xff;
}

function inv(a: number): number {
  if (a === 0) throw new Error('divide by zero');
  // a^254 = a^-1 in GF(2^8)
  let r = 1;
  let base = a;
  let e = 254;
  while (e) {
    if (e & 1) r = mul(r, base);
    base = mul(base, base);
    e >>= 1;
  }
  return r;
}

function interpolateAtZero(xs: number[], ys: number[]): number {
  let result = 0;
  for (let i = 0; i < xs.length; i++) {
    let basis = 1;
    for (let j = 0; j < xs.length; j++) {
      if (i === j) continue;
      // basis *= (0 - x_j) / (x_i - x_j); subtraction is xor
      basis = mul(basis, mul(xs[j], inv(xs[i] ^ xs[j])));
    }
    result ^= mul(ys[i], basis);
  }
  return result;
}

export function shamirSplit(secret: Uint8Array, parts: number, threshold: number): Uint8Array[] {
  if (parts < threshold || threshold < 2 || parts > 255) throw new Error('invalid Shamir parameters');
  const out = Array.from({ length: parts }, (_, i) => {
    const s = new Uint8Array(secret.length + 1);
    s[secret.length] = i + 1;
    return s;
  });
  for (let idx = 0; idx < secret.length; idx++) {
    const coeffs = [secret[idx], ...randomBytes(threshold - 1)];
    for (let p = 0; p < parts; p++) {
      const x = p + 1;
      let y = 0;
      for (let c = coeffs.length - 1; c >= 0; c--) y = mul(y, x) ^ coeffs[c]; // Horner
      out[p][idx] = y;
    }
  }
  return out;
}

export function shamirCombine(parts: Uint8Array[]): Uint8Array {
  if (parts.length < 2) throw new Error('less than two parts cannot be used to reconstruct the secret');
  const len = parts[0].length;
  if (len < 2 || parts.some((p) => p.length !== len)) throw new Error('all parts must be the same length');
  const xs = parts.map((p) => p[len - 1]);
  if (new Set(xs).size !== xs.length) throw new Error('duplicate part detected');
  const secret = new Uint8Array(len - 1);
  for (let i = 0; i < len - 1; i++) secret[i] = interpolateAtZero(xs, parts.map((p) => p[i]));
  return secret;
}
