import fc from 'fast-check';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@parlour/core';
import { ManualClock } from '../clock.js';
import { verifyEndUserJwt } from './end-user-jwt.js';

const SECRET = 'company-shared-secret-0123456789abcdef';
const START = '2026-01-05T09:00:00.000Z';
const NOW = Date.parse(START) / 1000;
const HOUR = 60 * 60;

interface Options {
  alg?: string;
  secret?: string;
  iat?: number | null;
  exp?: number | null;
}

/** A real HS256 token as a company backend would mint it: issued now, valid for an hour. */
function sign(
  claims: JWTPayload,
  { alg = 'HS256', secret = SECRET, iat = NOW, exp = NOW + HOUR }: Options = {},
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' });
  if (iat !== null) jwt.setIssuedAt(iat);
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

function unsigned(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

async function errorOf(jwt: string, clock = new ManualClock(START)): Promise<unknown> {
  try {
    await verifyEndUserJwt(jwt, SECRET, clock);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('verifyEndUserJwt', () => {
  it('returns the external id, email and name of a valid token', async () => {
    const jwt = await sign({
      external_id: 'cust-42',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
    });
    await expect(verifyEndUserJwt(jwt, SECRET, new ManualClock(START))).resolves.toEqual({
      externalId: 'cust-42',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
    });
  });

  it('returns null for an absent email and name', async () => {
    const jwt = await sign({ external_id: 'cust-42' });
    await expect(verifyEndUserJwt(jwt, SECRET, new ManualClock(START))).resolves.toEqual({
      externalId: 'cust-42',
      email: null,
      name: null,
    });
  });

  it('treats a null email and a null or empty name as absent', async () => {
    const jwt = await sign({ external_id: 'cust-42', email: null, name: '' });
    await expect(verifyEndUserJwt(jwt, SECRET, new ManualClock(START))).resolves.toEqual({
      externalId: 'cust-42',
      email: null,
      name: null,
    });
  });

  it('rejects a token signed with another secret', async () => {
    const jwt = await sign({ external_id: 'cust-42' }, { secret: 'not-the-shared-secret' });
    expect(await errorOf(jwt)).toMatchObject({
      code: 'auth/token-invalid',
      field: 'jwt',
      message: 'JWT signature is invalid',
    });
  });

  it('rejects alg none', async () => {
    expect(await errorOf(unsigned({ external_id: 'cust-42', exp: NOW + HOUR }))).toMatchObject({
      code: 'auth/token-invalid',
      field: 'jwt',
    });
  });

  it('rejects algorithms other than HS256, even with the right secret', async () => {
    for (const alg of ['HS384', 'HS512']) {
      const jwt = await sign({ external_id: 'cust-42' }, { alg });
      expect(await errorOf(jwt), alg).toMatchObject({
        code: 'auth/token-invalid',
        message: 'JWT must be signed with HS256',
      });
    }
  });

  it('rejects a malformed token as invalid', async () => {
    for (const jwt of ['', 'garbage', 'a.b.c', 'a.b']) {
      expect(await errorOf(jwt), jwt).toMatchObject({
        code: 'auth/token-invalid',
        field: 'jwt',
        message: 'JWT is malformed',
      });
    }
  });

  it('requires exp', async () => {
    const jwt = await sign({ external_id: 'cust-42' }, { exp: null });
    expect(await errorOf(jwt)).toMatchObject({
      code: 'auth/token-invalid',
      message: 'JWT claim "exp" is required',
    });
  });

  it('rejects an expired token as expired, allowing 60 s of clock skew', async () => {
    const jwt = await sign({ external_id: 'cust-42' });
    const clock = new ManualClock(START);
    clock.advance((HOUR + 59) * 1000);
    await expect(verifyEndUserJwt(jwt, SECRET, clock)).resolves.toMatchObject({
      externalId: 'cust-42',
    });
    clock.advance(1000);
    expect(await errorOf(jwt, clock)).toMatchObject({
      code: 'auth/token-expired',
      field: 'jwt',
      message: 'JWT has expired',
    });
  });

  it('rejects a token not yet valid (nbf) beyond 60 s of clock skew', async () => {
    const early = await sign({ external_id: 'cust-42', nbf: NOW + 60 });
    await expect(verifyEndUserJwt(early, SECRET, new ManualClock(START))).resolves.toMatchObject({
      externalId: 'cust-42',
    });
    const tooEarly = await sign({ external_id: 'cust-42', nbf: NOW + 61 });
    expect(await errorOf(tooEarly)).toMatchObject({
      code: 'auth/token-invalid',
      message: 'JWT claim "nbf" is invalid',
    });
  });

  it('rejects iat more than 60 s in the future', async () => {
    await expect(
      verifyEndUserJwt(
        await sign({ external_id: 'cust-42' }, { iat: NOW + 60 }),
        SECRET,
        new ManualClock(START),
      ),
    ).resolves.toBeTruthy();
    expect(await errorOf(await sign({ external_id: 'cust-42' }, { iat: NOW + 61 }))).toMatchObject({
      code: 'auth/token-invalid',
      message: 'JWT "iat" is in the future',
    });
  });

  it('rejects exp more than 24 hours after iat', async () => {
    const day = await sign(
      { external_id: 'cust-42' },
      { iat: NOW - HOUR, exp: NOW - HOUR + 24 * HOUR },
    );
    await expect(verifyEndUserJwt(day, SECRET, new ManualClock(START))).resolves.toBeTruthy();
    const longer = await sign(
      { external_id: 'cust-42' },
      { iat: NOW - HOUR, exp: NOW - HOUR + 24 * HOUR + 1 },
    );
    expect(await errorOf(longer)).toMatchObject({
      code: 'auth/token-invalid',
      message: expect.stringContaining('24 hours'),
    });
  });

  it('rejects exp more than 24 hours (plus skew) after now when there is no iat', async () => {
    const day = await sign({ external_id: 'cust-42' }, { iat: null, exp: NOW + 24 * HOUR + 60 });
    await expect(verifyEndUserJwt(day, SECRET, new ManualClock(START))).resolves.toBeTruthy();
    const longer = await sign({ external_id: 'cust-42' }, { iat: null, exp: NOW + 24 * HOUR + 61 });
    expect(await errorOf(longer)).toMatchObject({
      code: 'auth/token-invalid',
      message: expect.stringContaining('24 hours'),
    });
  });

  it('requires external_id to be a non-empty string of at most 255 characters', async () => {
    await expect(
      verifyEndUserJwt(
        await sign({ external_id: 'x'.repeat(255) }),
        SECRET,
        new ManualClock(START),
      ),
    ).resolves.toBeTruthy();
    const cases: [JWTPayload, string][] = [
      [{}, 'JWT claim "external_id" is required'],
      [{ external_id: '' }, 'JWT claim "external_id" must be a non-empty string'],
      [{ external_id: 42 }, 'JWT claim "external_id" must be a non-empty string'],
      [{ external_id: 'x'.repeat(256) }, 'JWT claim "external_id" must be at most 255 characters'],
    ];
    for (const [claims, message] of cases) {
      expect(await errorOf(await sign(claims)), message).toMatchObject({
        code: 'auth/token-invalid',
        field: 'jwt',
        message,
      });
    }
  });

  it('requires email, when present, to look like an email address', async () => {
    for (const email of [
      'not-an-email',
      'a@b',
      'a b@example.com',
      '',
      42,
      `${'a'.repeat(250)}@example.com`,
    ]) {
      expect(
        await errorOf(await sign({ external_id: 'cust-42', email })),
        String(email),
      ).toMatchObject({
        code: 'auth/token-invalid',
        message: 'JWT claim "email" must be an email address',
      });
    }
  });

  it('requires name, when present, to be a string of at most 255 characters', async () => {
    await expect(
      verifyEndUserJwt(
        await sign({ external_id: 'cust-42', name: 'é'.repeat(255) }),
        SECRET,
        new ManualClock(START),
      ),
    ).resolves.toMatchObject({
      name: 'é'.repeat(255),
    });
    expect(
      await errorOf(await sign({ external_id: 'cust-42', name: 'x'.repeat(256) })),
    ).toMatchObject({
      code: 'auth/token-invalid',
      message: 'JWT claim "name" must be at most 255 characters',
    });
    expect(await errorOf(await sign({ external_id: 'cust-42', name: ['Ada'] }))).toMatchObject({
      code: 'auth/token-invalid',
      message: 'JWT claim "name" must be a string',
    });
  });

  it('fails only with DomainError for any string', async () => {
    const valid = await sign({ external_id: 'cust-42' });
    const candidates = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.base64String(), fc.base64String(), fc.base64String())
        .map((parts) => parts.join('.')),
      fc.nat(valid.length).chain((cut) => fc.string().map((tail) => valid.slice(0, cut) + tail)),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (jwt) => {
        const error = await errorOf(jwt);
        if (jwt === valid) expect(error).toBeUndefined();
        else expect(error).toBeInstanceOf(DomainError);
      }),
      { numRuns: 300 },
    );
  });
});
