import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretMatches, signatureMatches, signatureOf } from './signature.ts';

// GitHub's documented test vector ("Validating webhook deliveries", "Testing the
// webhook payload validation").
const SECRET = "It's a Secret to Everybody";
const PAYLOAD = Buffer.from('Hello, World!');
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('X-Hub-Signature-256', () => {
  it("matches GitHub's documented example, with or without the sha256= prefix, in either case of hex", () => {
    expect(signatureOf(PAYLOAD, SECRET)).toBe(SIGNATURE);
    expect(signatureMatches(PAYLOAD, SECRET, SIGNATURE)).toBe(true);
    expect(signatureMatches(PAYLOAD, SECRET, SIGNATURE.slice('sha256='.length))).toBe(true);
    expect(signatureMatches(PAYLOAD, SECRET, `sha256=${SIGNATURE.slice(7).toUpperCase()}`)).toBe(true);
  });

  it('refuses a changed body, another secret, a cut or padded signature, another algorithm', () => {
    expect(signatureMatches(Buffer.from('Hello, World?'), SECRET, SIGNATURE)).toBe(false);
    expect(signatureMatches(PAYLOAD, 'another secret', SIGNATURE)).toBe(false);
    expect(signatureMatches(PAYLOAD, SECRET, SIGNATURE.slice(0, -2))).toBe(false);
    expect(signatureMatches(PAYLOAD, SECRET, `${SIGNATURE}00`)).toBe(false);
    expect(signatureMatches(PAYLOAD, SECRET, `sha1=${createHmac('sha1', SECRET).update(PAYLOAD).digest('hex')}`)).toBe(false);
    expect(signatureMatches(PAYLOAD, SECRET, '')).toBe(false);
  });

  it('compares a shared secret whole', () => {
    expect(secretMatches('s3cret-value', 's3cret-value')).toBe(true);
    expect(secretMatches('s3cret-value', 's3cret-valu')).toBe(false);
    expect(secretMatches('s3cret-value', 's3cret-value ')).toBe(false);
  });
});
