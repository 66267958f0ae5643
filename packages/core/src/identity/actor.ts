export type Role = 'admin' | 'supervisor' | 'agent';
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];

/** Who did something. Staff are users with a role; customers are end users. */
export type Actor =
  | { readonly type: 'user'; readonly id: string; readonly role: Role }
  | { readonly type: 'end_user'; readonly id: string }
  | { readonly type: 'bot' }
  | { readonly type: 'system'; readonly reason?: string };

export type ActorType = Actor['type'];

export function actorId(actor: Actor): string | null {
  return actor.type === 'user' || actor.type === 'end_user' ? actor.id : null;
}

export function isStaff(actor: Actor): actor is Extract<Actor, { type: 'user' }> {
  return actor.type === 'user';
}
