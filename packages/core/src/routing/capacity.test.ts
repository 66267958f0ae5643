import { describe, expect, it } from 'vitest';
import type { Channel } from '../channel.js';
import type { TicketStatus } from '../ticket/ticket.js';
import { capacityChannelOf, capacityUsedBy, type CapacityChannel } from './capacity.js';

/** Seeds 000/001 written out as a table: channel, ticket status, session active → capacity used. */
const TABLE: ReadonlyArray<readonly [Channel, TicketStatus, boolean, CapacityChannel | null]> = [
  ['messaging', 'new', true, 'messaging'],
  ['messaging', 'open', true, 'messaging'],
  ['messaging', 'pending', true, null],
  ['messaging', 'on_hold', true, null],
  ['messaging', 'solved', true, null],
  ['messaging', 'closed', true, null],
  ['messaging', 'new', false, null],
  ['messaging', 'open', false, null],
  ['messaging', 'pending', false, null],
  ['api', 'new', true, 'messaging'],
  ['api', 'open', true, 'messaging'],
  ['api', 'open', false, null],
  ['api', 'solved', true, null],
  ['email', 'new', true, 'email'],
  ['email', 'open', true, 'email'],
  ['email', 'new', false, 'email'],
  ['email', 'open', false, 'email'],
  ['email', 'pending', false, null],
  ['email', 'on_hold', true, null],
  ['email', 'solved', false, null],
  ['email', 'closed', false, null],
];

describe('capacity', () => {
  it.each(TABLE)(
    'a %s ticket that is %s with session active=%s uses %s capacity',
    (channel, status, sessionActive, expected) => {
      expect(capacityUsedBy({ channel, status }, sessionActive)).toBe(expected);
    },
  );

  it('counts API conversations as messaging', () => {
    expect(capacityChannelOf('api')).toBe('messaging');
    expect(capacityChannelOf('messaging')).toBe('messaging');
    expect(capacityChannelOf('email')).toBe('email');
  });

  it('counts a messaging ticket again when a customer reply reopens it', () => {
    expect(capacityUsedBy({ channel: 'messaging', status: 'pending' }, true)).toBeNull();
    expect(capacityUsedBy({ channel: 'messaging', status: 'open' }, true)).toBe('messaging');
  });

  it('frees messaging capacity when the session ends and does not use email capacity instead', () => {
    expect(capacityUsedBy({ channel: 'messaging', status: 'open' }, false)).toBeNull();
  });
});
