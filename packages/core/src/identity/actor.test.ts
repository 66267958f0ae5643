import { describe, expect, it } from 'vitest';
import { BOT, SYSTEM, customer, staff } from '../testing/build.js';
import { actorId, isStaff } from './actor.js';

describe('actors', () => {
  it('identifies staff and customers by id, the bot and the system by none', () => {
    expect(actorId(staff('agent-3'))).toBe('agent-3');
    expect(actorId(customer('end-user-3'))).toBe('end-user-3');
    expect(actorId(BOT)).toBeNull();
    expect(actorId(SYSTEM)).toBeNull();
  });

  it('counts only users of any role as staff', () => {
    expect(
      [staff('a', 'agent'), staff('s', 'supervisor'), staff('ad', 'admin')].every(isStaff),
    ).toBe(true);
    expect([customer(), BOT, SYSTEM].some(isStaff)).toBe(false);
  });
});
