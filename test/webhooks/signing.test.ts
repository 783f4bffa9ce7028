/**
 * Signatures against the Standard Webhooks spec's published vector (libraries/javascript
 * webhook.test.ts "sign function works") and cross-checked with the reference library
 * `standardwebhooks@1.1.1`; verifyWebhook's failure modes; the pure SSRF and retry rules.
 */
import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhook, WebhookVerificationError } from '../../src/client';
import { sign, signatureHeader } from '../../src/webhooks/signing';
import { isPrivateAddress, checkUrl, resolveTarget } from '../../src/webhooks/ssrf-guard';
import { decide, retryAfterMs } from '../../src/webhooks/retry-policy';
import { endpointWants, isValidPattern, typeMatches } from '../../src/webhooks/event-types';
import { transition, breaches } from '../../src/alerts/alert-rules';
import { createSecretBox, newWebhookSecret } from '../../src/webhooks/secret-box';
import { randomBytes } from 'node:crypto';

// The spec's published vector.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const PAYLOAD = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const headersAt = (sig: string, ts = TS) => ({ 'webhook-id': MSG_ID, 'webhook-timestamp': String(ts), 'webhook-signature': sig });

describe('Standard Webhooks signature', () => {
  test('server signer and client signer produce the published signature', () => {
    expect(sign(SECRET, MSG_ID, TS, PAYLOAD)).toBe(EXPECTED);
    expect(signWebhook(SECRET, MSG_ID, TS, PAYLOAD)).toBe(EXPECTED);
    expect(signWebhook(SECRET.slice('whsec_'.length), MSG_ID, TS, PAYLOAD)).toBe(EXPECTED); // with and without prefix
  });

  test('verifyWebhook accepts the published vector at its time and parses the body', () => {
    const v = verifyWebhook(SECRET, headersAt(EXPECTED), PAYLOAD, { now: TS * 1000 });
    expect(v.id).toBe(MSG_ID);
    expect(v.timestamp).toBe(TS);
  });

  test('matches the reference library both ways', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'label.moved', timestamp: new Date().toISOString(), data: { label: 'production' } });
    const ts = Math.floor(Date.now() / 1000);
    const ours = sign(secret, MSG_ID, ts, body);
    expect(new Webhook(secret).sign(MSG_ID, new Date(ts * 1000), body)).toBe(ours);
    expect(() => new Webhook(secret).verify(body, headersAt(ours, ts) as never)).not.toThrow();
    const theirs = new Webhook(secret).sign(MSG_ID, new Date(ts * 1000), body);
    expect(() => verifyWebhook(secret, { ...headersAt(theirs, ts) }, body)).not.toThrow();
  });

  test('rejects: tampered body, wrong secret, old and future timestamps, missing headers, partial and foreign-version signatures', () => {
    const now = TS * 1000;
    const bad = (h: Record<string, string>, body = PAYLOAD, secret = SECRET, at = now) =>
      expect(() => verifyWebhook(secret, h, body, { now: at })).toThrow(WebhookVerificationError);
    bad(headersAt(EXPECTED), '{"test": 2432232315}');
    bad(headersAt(EXPECTED), PAYLOAD, newWebhookSecret());
    bad(headersAt(EXPECTED), PAYLOAD, SECRET, now + 301_000);
    bad(headersAt(EXPECTED), PAYLOAD, SECRET, now - 301_000);
    bad({ 'webhook-id': MSG_ID, 'webhook-signature': EXPECTED });
    bad({ 'webhook-timestamp': String(TS), 'webhook-signature': EXPECTED });
    bad(headersAt('v1,'));
    bad(headersAt(EXPECTED.slice(0, 10)));
    bad(headersAt(EXPECTED.replace('v1,', 'v2,')));
    bad({ ...headersAt(EXPECTED), 'webhook-timestamp': 'hello' });
    // Within tolerance is fine; a custom tolerance is honoured.
    expect(() => verifyWebhook(SECRET, headersAt(EXPECTED), PAYLOAD, { now: now + 299_000 })).not.toThrow();
    expect(() => verifyWebhook(SECRET, headersAt(EXPECTED), PAYLOAD, { now: now + 20_000, toleranceSeconds: 10 })).toThrow(WebhookVerificationError);
  });

  test('several signatures (rotation): any one matching verifies; Headers objects work too', () => {
    const other = newWebhookSecret();
    const header = signatureHeader([other, SECRET], MSG_ID, TS, PAYLOAD);
    expect(header.split(' ')).toHaveLength(2);
    expect(() => verifyWebhook(SECRET, headersAt(header), PAYLOAD, { now: TS * 1000 })).not.toThrow();
    expect(() => verifyWebhook(other, headersAt(header), PAYLOAD, { now: TS * 1000 })).not.toThrow();
    const h = new Headers(headersAt(header));
    expect(verifyWebhook(SECRET, h, Buffer.from(PAYLOAD), { now: TS * 1000 }).id).toBe(MSG_ID);
  });
});

describe('SSRF guard', () => {
  test.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.5.5',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fc00::5',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '224.0.0.1',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  test.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1'])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
  test('https required, credentials refused, private literals refused unless allowed', () => {
    expect(() => checkUrl('http://example.com/x', false)).toThrow(/https/);
    expect(() => checkUrl('https://u:p@example.com/x', false)).toThrow(/credentials/);
    expect(() => checkUrl('https://10.0.0.1/x', false)).toThrow(/private/);
    expect(() => checkUrl('https://[::1]/x', false)).toThrow(/private/);
    expect(checkUrl('http://127.0.0.1:9/x', true).hostname).toBe('127.0.0.1');
  });
  test('a name that resolves to loopback (localhost) is refused at resolution', async () => {
    await expect(resolveTarget('https://localhost:1/x', false)).rejects.toThrow(/resolves to (127\.0\.0\.1|::1)/);
    await expect(resolveTarget('http://localhost:1/x', true)).resolves.toMatchObject({ address: expect.any(String) });
  });
});

describe('retry policy (Standard Webhooks status handling)', () => {
  const schedule = [100, 200, 400];
  const mid = () => 0.5; // no jitter
  test('2xx succeeds; 410 fails and disables; others retry on the schedule until it ends', () => {
    expect(decide({ kind: 'status', status: 204 }, 1, schedule, mid)).toEqual({ action: 'succeeded' });
    expect(decide({ kind: 'status', status: 410 }, 1, schedule, mid)).toMatchObject({ action: 'failed', disableEndpoint: expect.stringMatching(/410/) });
    expect(decide({ kind: 'status', status: 500 }, 1, schedule, mid)).toEqual({ action: 'retry', delayMs: 100 });
    expect(decide({ kind: 'status', status: 302 }, 2, schedule, mid)).toEqual({ action: 'retry', delayMs: 200 });
    expect(decide({ kind: 'error', error: 'ECONNREFUSED' }, 3, schedule, mid)).toEqual({ action: 'retry', delayMs: 400 });
    expect(decide({ kind: 'status', status: 500 }, 4, schedule, mid)).toEqual({ action: 'failed', disableEndpoint: null });
  });
  test('jitter stays within ±20%', () => {
    for (const r of [0, 0.25, 0.999]) {
      const d = decide({ kind: 'status', status: 500 }, 1, [1000], () => r);
      expect(d.action === 'retry' && d.delayMs >= 800 && d.delayMs <= 1200).toBe(true);
    }
  });
  test('Retry-After (seconds or a date) postpones, by at most a day', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(58_000);
    expect(decide({ kind: 'status', status: 429, retryAfter: '0.3' }, 1, [100, 500], mid)).toEqual({ action: 'retry', delayMs: 100 }); // unreadable: schedule
    expect(decide({ kind: 'status', status: 429, retryAfter: '1' }, 1, [100, 5000], mid)).toEqual({ action: 'retry', delayMs: 1000 });
    expect(decide({ kind: 'status', status: 503, retryAfter: '999999' }, 1, [100, 5000], mid)).toEqual({ action: 'retry', delayMs: 86_400_000 });
  });
});

describe('event types and filters', () => {
  test('patterns: exact, object wildcard, everything; unknown types are invalid', () => {
    expect(typeMatches(['label.*'], 'label.moved')).toBe(true);
    expect(typeMatches(['label.*'], 'prompt.created')).toBe(false);
    expect(typeMatches(['*'], 'alert.fired')).toBe(true);
    expect(isValidPattern('label.*')).toBe(true);
    expect(isValidPattern('rollout.*')).toBe(true); // the next domain's slot
    expect(isValidPattern('label.exploded')).toBe(false);
    expect(isValidPattern('la bel')).toBe(false);
  });
  test('prompt and label filters', () => {
    const ep = { events: ['*'], promptFilter: 'support/', labelFilter: ['production'] };
    expect(endpointWants(ep, 'label.moved', { promptName: 'support/a', labels: ['production'] })).toBe(true);
    expect(endpointWants(ep, 'label.moved', { promptName: 'support/a', labels: ['staging'] })).toBe(false);
    expect(endpointWants(ep, 'label.moved', { promptName: 'sales/a', labels: ['production'] })).toBe(false);
    expect(endpointWants(ep, 'prompt.created', { promptName: 'support/a', labels: [] })).toBe(false);
    expect(endpointWants(ep, 'alert.fired', { promptName: 'support/a', labels: [] })).toBe(true);
    expect(endpointWants({ ...ep, promptFilter: 'support/a' }, 'label.moved', { promptName: 'support/ab', labels: ['production'] })).toBe(false);
    expect(endpointWants({ events: ['label.moved'], promptFilter: null, labelFilter: null }, 'webhook.test', { promptName: null, labels: [] })).toBe(true);
  });
});

describe('alert rules', () => {
  test('quality fires below, the rest above; no data never fires', () => {
    expect(breaches('QUALITY_SCORE', 0.6, 0.7)).toBe(true);
    expect(breaches('P95_LATENCY', 3100, 3000)).toBe(true);
    expect(breaches('DAILY_COST', 9, 10)).toBe(false);
    expect(breaches('ERROR_RATE', null, 0)).toBe(false);
  });
  test('fires once, resolves once, and holds within the minimum interval', () => {
    const now = Date.now();
    expect(transition('OK', true, null, now, 60_000)).toBe('fire');
    expect(transition('FIRING', true, new Date(now - 1), now, 60_000)).toBeNull();
    expect(transition('FIRING', false, new Date(now - 1_000), now, 60_000)).toBeNull(); // too soon: no flapping
    expect(transition('FIRING', false, new Date(now - 61_000), now, 60_000)).toBe('resolve');
    expect(transition('OK', false, null, now, 0)).toBeNull();
  });
});

test('secret box: sealed secrets open with the key only, and differ every time', () => {
  const box = createSecretBox(randomBytes(32));
  const secret = newWebhookSecret();
  const a = box.seal(secret);
  expect(a).not.toContain(secret.slice(6, 20));
  expect(box.seal(secret)).not.toBe(a);
  expect(box.open(a)).toBe(secret);
  expect(() => createSecretBox(randomBytes(32)).open(a)).toThrow();
});
