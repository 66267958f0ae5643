import { randomBytes } from 'node:crypto';
import { DomainError } from '@parlour/core';
import type {
  CreatedApiToken,
  LoginReply,
  WidgetSessionBody,
  WidgetSessionReply,
} from '@parlour/protocol';
import {
  deleteAuthSession,
  findApiToken,
  findAuthSession,
  getEndUser,
  getUserByEmail,
  insertAnonymousEndUser,
  insertApiToken,
  insertAuthSession,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
  upsertVerifiedEndUser,
} from '@parlour/storage';
import {
  LoginRateLimiter,
  hashPassword,
  hashToken,
  newOpaqueToken,
  signWidgetToken,
  verifyEndUserJwt,
  type EndUserIdentity,
  verifyPassword,
  verifyWidgetToken,
} from '../auth/index.js';
import { droppedError, type ContentGuard } from './pci/content-guard.js';
import type { Principal } from '../principal.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { ServiceContext } from './context.js';
import { endUserDto, userDto } from './dto.js';
import type { SettingsService } from './settings-service.js';

const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
const WIDGET_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

/** A hash no password matches, so a login for an unknown email costs as much as a real one. */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString('hex')));

/**
 * Who is calling. Staff log in (a session token, as cookie or bearer) or use long-lived API
 * tokens; end users get a signed widget token, optionally vouched for by the company's JWT.
 * Token lookups are cached per process for five seconds.
 */
export class AuthService {
  /** Keeps card data out of end users' profiles (PCI DSS); set at wiring time. */
  guard: ContentGuard | null = null;
  private readonly limiter: LoginRateLimiter;
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly settings: SettingsService,
    /** Where login failures are counted (Redis: across processes); default this process's memory. */
    rateLimiter?: RateLimiter,
  ) {
    this.limiter = new LoginRateLimiter(ctx.clock, rateLimiter ? { limiter: rateLimiter } : {});
  }

  async login(ip: string, email: string, password: string): Promise<LoginReply> {
    await this.limiter.assertAllowed(ip, email);
    const { database, clock } = this.ctx;
    const user = await getUserByEmail(database.db, email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
    if (!user || !ok || !user.active) {
      await this.limiter.recordFailure(ip, email);
      throw new DomainError('auth/invalid-credentials', 'Wrong email or password', 'password');
    }
    await this.limiter.recordSuccess(ip, email);
    const token = newOpaqueToken('pls');
    const at = clock.now();
    const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
    await insertAuthSession(database.db, {
      tokenHash: hashToken(token),
      userId: user.id,
      at,
      expiresAt,
    });
    return { token, expiresAt: expiresAt.toISOString(), user: userDto(user) };
  }

  /** Drops this process's cached principals of an end user (after they are erased). */
  forgetEndUser(endUserId: string): void {
    for (const [token, hit] of this.cache) {
      if (hit.principal?.kind === 'end_user' && hit.principal.id === endUserId)
        this.cache.delete(token);
    }
  }

  async logout(token: string): Promise<void> {
    this.cache.delete(token);
    await deleteAuthSession(this.ctx.database.db, hashToken(token));
  }

  /** The principal behind a bearer or cookie token, or null when the token is unknown or expired. */
  async resolve(token: string): Promise<Principal | null> {
    const now = this.ctx.clock.now().getTime();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return hit.principal;
    const principal = await this.lookup(token);
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { principal, until: now + CACHE_MS });
    return principal;
  }

  private async lookup(token: string): Promise<Principal | null> {
    const { database, clock } = this.ctx;
    if (token.startsWith('pls_')) {
      const s = await findAuthSession(database.db, hashToken(token));
      if (!s || !s.active || s.expiresAt <= clock.now()) return null;
      return { kind: 'user', id: s.userId, role: s.role };
    }
    if (token.startsWith('plt_')) {
      const t = await findApiToken(database.db, hashToken(token));
      if (!t || !t.active || t.revokedAt) return null;
      await touchApiToken(database.db, t.id, clock.now());
      return { kind: 'user', id: t.userId, role: t.role };
    }
    if (token.startsWith('v1.')) {
      try {
        const { endUserId } = verifyWidgetToken(token, await this.settings.serverSecret(), clock);
        // An erased end user's token stays validly signed: it must not speak for them again.
        if (!(await getEndUser(database.db, endUserId))) return null;
        return { kind: 'end_user', id: endUserId };
      } catch {
        return null;
      }
    }
    return null;
  }

  async createApiToken(
    principal: Principal & { kind: 'user' },
    name: string,
  ): Promise<CreatedApiToken> {
    const token = newOpaqueToken('plt');
    const id = this.ctx.newId();
    const at = this.ctx.clock.now();
    await insertApiToken(this.ctx.database.db, {
      id,
      name,
      tokenHash: hashToken(token),
      userId: principal.id,
      at,
    });
    return {
      id,
      name,
      userId: principal.id,
      createdAt: at.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      token,
    };
  }

  async listApiTokens() {
    const rows = await listApiTokens(this.ctx.database.db);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      userId: r.userId,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeApiToken(id: string): Promise<void> {
    if (!(await revokeApiToken(this.ctx.database.db, id, this.ctx.clock.now()))) {
      throw new DomainError('not-found', 'No such active API token', 'tokenId');
    }
    this.cache.clear();
  }

  /**
   * PCI DSS: the company's JWT names the visitor; card data never reaches their profile. A name is
   * masked (or left out in drop mode); an email or external id with card data is refused.
   */
  private async guardIdentity(identity: EndUserIdentity): Promise<EndUserIdentity> {
    if (!this.guard) return identity;
    const policy = await this.guard.policy();
    for (const value of [identity.externalId, identity.email]) {
      const outcome = value === null ? null : this.guard.inspect(value, policy);
      if (outcome && outcome.action !== 'clean') throw droppedError(outcome.counts, 'jwt');
    }
    if (identity.name === null) return identity;
    const name = this.guard.inspect(identity.name, policy);
    return name.action === 'clean' ? identity : { ...identity, name: name.text || null };
  }

  /**
   * A widget visitor gets a token. With the company's JWT they become (or stay) the verified end
   * user it names; with an earlier widget token they stay the same visitor; otherwise a new
   * anonymous visitor is made, unless the admin requires verified identities.
   */
  async widgetSession(body: WidgetSessionBody): Promise<WidgetSessionReply> {
    const { database, clock, newId } = this.ctx;
    const settings = await this.settings.current();
    const secret = await this.settings.serverSecret();
    const at = clock.now();
    let endUser;
    if (body.jwt !== undefined) {
      if (!settings.endUserJwtSecret) {
        throw new DomainError(
          'validation/invalid',
          'Identity verification is not set up for this workspace',
          'jwt',
        );
      }
      const identity = await this.guardIdentity(
        await verifyEndUserJwt(body.jwt, settings.endUserJwtSecret, clock),
      );
      endUser = await upsertVerifiedEndUser(database.db, { id: newId(), ...identity, at });
    } else if (settings.requireVerifiedIdentity) {
      throw new DomainError(
        'auth/verification-required',
        'This workspace requires a verified identity (jwt)',
        'jwt',
      );
    } else if (body.token !== undefined) {
      const { endUserId } = verifyWidgetToken(body.token, secret, clock);
      endUser = await getEndUser(database.db, endUserId);
      if (!endUser)
        throw new DomainError('auth/token-invalid', 'This visitor no longer exists', 'token');
    } else {
      endUser = await insertAnonymousEndUser(database.db, newId(), at);
    }
    const token = signWidgetToken(
      { endUserId: endUser.id, ttlMs: WIDGET_TOKEN_TTL_MS },
      secret,
      clock,
    );
    return {
      token,
      expiresAt: new Date(at.getTime() + WIDGET_TOKEN_TTL_MS).toISOString(),
      endUser: endUserDto(endUser),
    };
  }
}
