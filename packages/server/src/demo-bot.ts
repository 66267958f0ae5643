import type { BotFlow, CreateBotArticleBody } from '@parlour/protocol';

/**
 * The demo's conversation bot: a menu (order status, billing, something else, talk to a person),
 * articles for free questions, and "Talk to a person" collecting name and email before handing
 * off to Support. Billing questions go to the Billing group, high priority.
 */
export function demoBotFlow(supportGroupId: string, billingGroupId: string): BotFlow {
  return {
    enabled: true,
    start: 'menu',
    personNode: 'ask_name',
    defaultHandoff: { groupId: supportGroupId, tags: ['bot'] },
    fallbackText:
      'Sorry, I did not catch that. Pick a topic below, ask about shipping, returns or opening hours, or talk to a person.',
    nodes: {
      menu: {
        type: 'message',
        text: 'Hi! I am the Parlour assistant. How can I help you today?',
        buttons: [
          { label: 'Order status', next: 'order_status' },
          { label: 'Billing question', next: 'billing' },
          { label: 'Something else', next: 'something_else' },
        ],
      },
      order_status: {
        type: 'collect',
        field: 'order_number',
        prompt: 'What is your order number? (You find it in your confirmation email.)',
        validate: 'text',
        next: 'order_answer',
      },
      order_answer: {
        type: 'message',
        text: 'Thanks! Orders usually ship within 2 working days and arrive 3–5 days later. Do you need anything else?',
        buttons: [
          { label: 'Back to the menu', next: 'menu' },
          { label: 'Talk to a person', next: 'ask_name' },
        ],
      },
      billing: {
        type: 'handoff',
        text: 'I am passing you to our Billing team. Someone will be with you shortly.',
        handoff: {
          groupId: billingGroupId,
          priority: 'high',
          tags: ['billing', 'bot'],
          subject: 'Billing question',
        },
      },
      something_else: {
        type: 'message',
        text: 'Tell me in a few words what it is about (for example "returns" or "opening hours").',
      },
      ask_name: {
        type: 'collect',
        field: 'name',
        prompt: 'Happy to connect you with a person. What is your name?',
        next: 'ask_email',
      },
      ask_email: {
        type: 'collect',
        field: 'email',
        prompt: 'And your email address, in case we get disconnected?',
        invalidText:
          'That does not look like an email address (like name@example.com). Please try again.',
        next: 'to_support',
      },
      to_support: {
        type: 'handoff',
        text: 'Thank you! An agent from our Support team will be with you shortly.',
        handoff: { groupId: supportGroupId, tags: ['bot'], subject: 'Chat from the website' },
      },
    },
  };
}

export const DEMO_ARTICLES: readonly CreateBotArticleBody[] = [
  {
    title: 'Shipping times',
    keywords: ['shipping', 'delivery', 'deliver', 'ship', 'Lieferzeit', 'Versand', 'livraison'],
    body: 'Orders ship within 2 working days. Delivery takes 3–5 working days in Europe and 5–10 days elsewhere; you get a tracking link by email.',
  },
  {
    title: 'Returns and refunds',
    keywords: [
      'return',
      'refund',
      'send back',
      'Rücksendung',
      'Rückgabe',
      'retour',
      'remboursement',
    ],
    body: 'You can return any item within 30 days. Start a return from your order page; the refund reaches your account within 5 working days after we receive the item.',
  },
  {
    title: 'Opening hours',
    keywords: ['opening hours', 'open', 'hours', 'Öffnungszeiten', 'horaires', 'ouvert'],
    body: 'Our team is here Monday to Friday, 9:00 to 18:00 (CET). Outside these hours, leave a message and we answer by email.',
  },
];
