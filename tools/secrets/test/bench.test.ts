/** The benchmark helper round-trips a 100-key Secret; timing is reported, not asserted. */
import { describe, expect, it } from 'vitest';
import { benchSecrets, benchSecretsDetailed, decryptDocument, encryptDocument, generateAgeKey } from '../src';
import { secretManifest } from '../src/bench';

describe('benchSecrets', () => {
  it('encrypts and decrypts a 100-key Secret', async () => {
    const k = await generateAgeKey();
    const plain = secretManifest(100);
    const enc = await encryptDocument(plain, { format: 'yaml', recipients: [k.recipient] });
    expect(enc.match(/^ {4}key\d+: ENC\[/gm)).toHaveLength(100);
    expect((await decryptDocument(enc, { format: 'yaml', identities: [k.identity] })).toString()).toBe(plain);
  });

  it('returns milliseconds', async () => {
    const ms = await benchSecrets();
    expect(typeof ms).toBe('number');
    expect(ms).toBeGreaterThan(0);
    const d = await benchSecretsDetailed(10);
    expect(d.keys).toBe(10);
    expect(d.totalMs).toBeGreaterThanOrEqual(d.encryptMs);
  });
});
