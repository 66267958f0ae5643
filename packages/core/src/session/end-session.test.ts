import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/actor.js';
import {
  AT,
  BOT,
  LATER,
  SYSTEM,
  buildSession,
  customer,
  endedSession,
  staff,
  thrown,
} from '../testing/build.js';
import { endSession } from './end-session.js';

describe('endSession', () => {
  it('ends an active session with its reason and time', () => {
    const session = endSession(buildSession(), 'ended_by_agent', staff(), LATER);
    expect(session).toMatchObject({
      state: 'ended',
      endReason: 'ended_by_agent',
      endedAt: LATER,
      startedAt: AT,
    });
  });

  it('refuses to end a session that has already ended', () => {
    const error = thrown(() => endSession(endedSession(), 'ended_by_agent', staff(), LATER));
    expect(error.code).toBe('session/ended');
  });

  it('lets staff of any role, or the system, end a session as the agent', () => {
    const allowed: Actor[] = [
      staff('a', 'agent'),
      staff('s', 'supervisor'),
      staff('ad', 'admin'),
      SYSTEM,
    ];
    for (const actor of allowed)
      expect(endSession(buildSession(), 'ended_by_agent', actor, LATER).endReason).toBe(
        'ended_by_agent',
      );
  });

  it('refuses "ended by agent" from the customer or the bot', () => {
    for (const actor of [customer(), BOT]) {
      const error = thrown(() => endSession(buildSession(), 'ended_by_agent', actor, LATER));
      expect(error.code).toBe('auth/forbidden');
      expect(error.field).toBe('reason');
    }
  });

  it('lets the customer, or an agent reporting it, say the customer left', () => {
    for (const actor of [customer(), staff()])
      expect(endSession(buildSession(), 'customer_left', actor, LATER).endReason).toBe(
        'customer_left',
      );
  });

  it('refuses "customer left" from the bot or the system', () => {
    for (const actor of [BOT, SYSTEM]) {
      expect(thrown(() => endSession(buildSession(), 'customer_left', actor, LATER)).code).toBe(
        'auth/forbidden',
      );
    }
  });

  it('lets anyone end a session because its ticket closed', () => {
    for (const actor of [SYSTEM, staff(), customer(), BOT])
      expect(endSession(buildSession(), 'ticket_closed', actor, LATER).endReason).toBe(
        'ticket_closed',
      );
  });

  it('changes nothing but the session state', () => {
    const session = buildSession();
    const ended = endSession(session, 'ended_by_agent', staff(), LATER);
    expect({ ...ended, state: 'active', endReason: null, endedAt: null }).toEqual(session);
    expect(session.state).toBe('active');
  });
});
