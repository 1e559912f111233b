// Human check solver (ALTCHA v2 proof of work, PBKDF2/SHA-256, deterministic mode), run in a Web Worker.
// Message in: {parameters, start, step}; tries counters start, start + step, … until the derived key
// starts with parameters.keyPrefix. Messages out: {type: 'progress', counter}, {type: 'solved', solution},
// {type: 'error', message}. Under Node (tests) the file exports solve() instead.
'use strict';

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// password = nonce ‖ UInt32 big-endian(counter); key = PBKDF2-HMAC-SHA256(password, salt, cost, 32 bytes).
async function solve(parameters, start, step, onProgress) {
  const subtle = globalThis.crypto.subtle;
  const nonce = hexToBytes(parameters.nonce);
  const salt = hexToBytes(parameters.salt);
  const password = new Uint8Array(nonce.length + 4);
  password.set(nonce);
  const view = new DataView(password.buffer);
  const began = performance.now();
  for (let counter = start, tries = 0; counter <= 0xffffffff; counter += step, tries++) {
    view.setUint32(nonce.length, counter, false);
    const key = await subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    const bits = await subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: parameters.cost }, key, (parameters.keyLength || 32) * 8);
    const derivedKey = bytesToHex(new Uint8Array(bits));
    if (derivedKey.startsWith(parameters.keyPrefix)) {
      return { counter, derivedKey, time: Math.round(performance.now() - began) };
    }
    if (onProgress && tries % 20 === 0) onProgress(counter);
  }
  throw new Error('no counter matches the key prefix');
}

if (typeof module === 'object' && module.exports) {
  module.exports = { solve };
} else {
  self.onmessage = (event) => {
    const { parameters, start, step } = event.data;
    solve(parameters, start, step, (counter) => self.postMessage({ type: 'progress', counter })).then(
      (solution) => self.postMessage({ type: 'solved', solution }),
      (error) => self.postMessage({ type: 'error', message: String((error && error.message) || error) }));
  };
}
