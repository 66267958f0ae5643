import type { Actor, Role } from '@parlour/core';

/** Who is calling: a staff member (by role) or an end user (a customer). */
export type Principal =
  | { readonly kind: 'user'; readonly id: string; readonly role: Role }
  | { readonly kind: 'end_user'; readonly id: string };

/** The access levels a route or socket event can allow. */
export type Access = Role | 'end_user';
export const ALL_ACCESS: readonly Access[] = ['admin', 'supervisor', 'agent', 'end_user'];
export const STAFF: readonly Access[] = ['admin', 'supervisor', 'agent'];
export const MANAGERS: readonly Access[] = ['admin', 'supervisor'];
export const ADMINS: readonly Access[] = ['admin'];

export function accessOf(principal: Principal): Access {
  return principal.kind === 'user' ? principal.role : 'end_user';
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.id, role: principal.role }
    : { type: 'end_user', id: principal.id };
}
