import { initSetting, insertMacro, macroTitleTaken } from '@parlour/storage';
import type { ServiceContext } from '../context.js';

/** Marks the "End the chat session" macro (seed 000), so other features can find it. */
export const END_CHAT_MACRO_PRESET = 'end_chat_session';

export const END_CHAT_MACRO = {
  title: 'End the chat session',
  body:
    'Hi {{requester.first_name}}, I am going to end this chat session now. ' +
    'Thank you for contacting us! If you write to us again here, that starts a new ' +
    'conversation (and a new request) with us.',
} as const;

/**
 * Default content, made once per database on the first start: the shared macro that tells the
 * customer the session is about to end (seed 000: customers are not told automatically). An
 * admin who deletes or edits it keeps it that way; several processes starting together make it
 * once (the claim and the macro are one transaction).
 */
export async function ensureDefaultMacros(ctx: ServiceContext): Promise<void> {
  const at = ctx.clock.now();
  const claim = ctx.newId();
  await ctx.database.db.transaction().execute(async (trx) => {
    if ((await initSetting(trx, 'default_macros_seeded', claim, at)) !== claim) return;
    if (await macroTitleTaken(trx, END_CHAT_MACRO.title, null)) return;
    await insertMacro(trx, {
      id: ctx.newId(),
      title: END_CHAT_MACRO.title,
      body: END_CHAT_MACRO.body,
      bodyKind: 'public',
      actions: [],
      active: true,
      position: 0,
      ownerId: null,
      preset: END_CHAT_MACRO_PRESET,
      at,
    });
  });
}
