import { describe, expect, it } from 'vitest';
import { NEW_BOT_STATE, type BotArticle, type BotFlow, type BotState } from './bot-flow.js';
import { startBot, stepBot } from './step-bot.js';

const SUPPORT = '00000000-0000-4000-8000-000000000001';
const BILLING = '00000000-0000-4000-8000-000000000002';

const flow: BotFlow = {
  enabled: true,
  start: 'menu',
  personNode: 'ask_name',
  defaultHandoff: { groupId: SUPPORT },
  nodes: {
    menu: {
      type: 'message',
      text: 'Hi! How can I help?',
      buttons: [
        { label: 'Order status', next: 'order' },
        { label: 'Billing question', next: 'billing' },
        { label: 'Something else', next: 'else' },
      ],
    },
    order: { type: 'message', text: 'Your order ships in 2 days.', next: 'anything' },
    anything: {
      type: 'message',
      text: 'Anything else?',
      buttons: [{ label: 'Back to menu', next: 'menu' }],
    },
    billing: {
      type: 'handoff',
      text: 'Passing you to Billing.',
      handoff: { groupId: BILLING, priority: 'high', skillIds: ['s1'], tags: ['billing'] },
    },
    else: { type: 'message', text: 'Tell me in a few words.' },
    ask_name: { type: 'collect', field: 'name', prompt: 'Your name?', next: 'ask_email' },
    ask_email: {
      type: 'collect',
      field: 'email',
      prompt: 'Your email?',
      invalidText: 'Not an email, again please.',
      next: 'to_support',
    },
    to_support: { type: 'handoff', text: 'Connecting you.', handoff: { groupId: SUPPORT } },
  },
};

const articles: BotArticle[] = [
  {
    id: 'a1',
    title: 'Shipping times',
    keywords: ['shipping', 'delivery', 'Lieferzeit', 'livraison'],
    body: 'Orders ship within 2 working days.',
  },
  {
    id: 'a2',
    title: 'Öffnungszeiten',
    keywords: ['opening hours', 'horaires'],
    body: 'Mo–Fr 9–17 Uhr.',
  },
];

const active = (nodeId: string, collected: Record<string, string> = {}): BotState => ({
  status: 'active',
  nodeId,
  collected,
});

describe('the conversation bot', () => {
  it('greets a new conversation with the start node and its buttons plus Talk to a person', () => {
    const step = startBot(flow, NEW_BOT_STATE);
    expect(step.replies).toEqual([
      {
        text: 'Hi! How can I help?',
        quickReplies: [
          { label: 'Order status', value: 'order' },
          { label: 'Billing question', value: 'billing' },
          { label: 'Something else', value: 'else' },
          { label: 'Talk to a person', value: 'handoff' },
        ],
      },
    ]);
    expect(step.state).toEqual(active('menu'));
  });

  it('does not greet twice', () => {
    expect(startBot(flow, active('menu')).replies).toEqual([]);
  });

  it('follows a button by its label, in any case and with accents folded', () => {
    const step = stepBot(flow, articles, active('menu'), '  ORDER status ');
    expect(step.replies.map((r) => r.text)).toEqual([
      'Your order ships in 2 days.',
      'Anything else?',
    ]);
    expect(step.state.nodeId).toBe('anything');
  });

  it('follows a menu button from any node', () => {
    const step = stepBot(flow, articles, active('anything'), 'Billing question');
    expect(step.handoff?.target.groupId).toBe(BILLING);
  });

  it('follows a button whose label is inside a longer sentence', () => {
    const step = stepBot(flow, articles, active('menu'), 'I have a billing question please');
    expect(step.handoff?.target).toMatchObject({ groupId: BILLING, priority: 'high' });
  });

  it('hands off with the node’s group, skills, priority and tags, and is then handed off', () => {
    const step = stepBot(flow, articles, active('menu'), 'Billing question');
    expect(step.replies.map((r) => r.text)).toEqual(['Passing you to Billing.']);
    expect(step.handoff).toEqual({
      target: { groupId: BILLING, priority: 'high', skillIds: ['s1'], tags: ['billing'] },
      collected: {},
    });
    expect(step.state.status).toBe('handed_off');
  });

  it('is silent once the conversation is handed off', () => {
    const step = stepBot(flow, articles, { ...active('menu'), status: 'handed_off' }, 'hello?');
    expect(step).toMatchObject({ replies: [], handoff: null });
  });

  it('leads "Talk to a person" to the person node', () => {
    const step = stepBot(flow, articles, active('anything'), 'Talk to a person');
    expect(step.replies.map((r) => r.text)).toEqual(['Your name?']);
    expect(step.state.nodeId).toBe('ask_name');
  });

  it('understands typed requests for a person in English, German and French', () => {
    for (const text of ['I want a human', 'Mitarbeiter bitte', 'je veux parler à un humain'])
      expect(stepBot(flow, articles, active('menu'), text).state.nodeId, text).toBe('ask_name');
  });

  it('hands off to the default target when the flow has no person node', () => {
    const { personNode: _ignored, ...noPerson } = flow;
    const step = stepBot(noPerson, articles, active('menu'), 'agent');
    expect(step.handoff?.target).toEqual({ groupId: SUPPORT });
  });

  it('keeps a fitting answer and asks the next field', () => {
    const step = stepBot(flow, articles, active('ask_name'), '  Maria   Muster ');
    expect(step.state).toEqual(active('ask_email', { name: 'Maria Muster' }));
    expect(step.replies.map((r) => r.text)).toEqual(['Your email?']);
  });

  it('re-asks when an email address does not fit, keeping its place', () => {
    const state = active('ask_email', { name: 'Maria' });
    const step = stepBot(flow, articles, state, 'maria at example');
    expect(step.replies.map((r) => r.text)).toEqual(['Not an email, again please.']);
    expect(step.state).toEqual(state);
  });

  it('hands off with the collected fields once the last one is given', () => {
    const step = stepBot(
      flow,
      articles,
      active('ask_email', { name: 'Maria' }),
      'Maria@Example.com',
    );
    expect(step.handoff).toEqual({
      target: { groupId: SUPPORT },
      collected: { name: 'Maria', email: 'maria@example.com' },
    });
  });

  it('skips fields already known of the end user', () => {
    const step = stepBot(flow, articles, active('menu'), 'Talk to a person', {
      name: 'Verified Vera',
      email: 'vera@example.com',
    });
    expect(step.replies.map((r) => r.text)).toEqual(['Connecting you.']);
    expect(step.handoff?.collected).toEqual({});
  });

  it('hands off at once when the customer asks for a person while a field is asked', () => {
    const step = stepBot(flow, articles, active('ask_email', { name: 'Maria' }), 'human please');
    expect(step.handoff).toEqual({ target: { groupId: SUPPORT }, collected: { name: 'Maria' } });
  });

  it('answers from the best matching article, with the menu', () => {
    const step = stepBot(flow, articles, active('else'), 'How long does delivery take?');
    expect(step.replies[0]?.text).toBe('Shipping times\n\nOrders ship within 2 working days.');
    expect(step.replies[0]?.quickReplies.at(-1)).toEqual({
      label: 'Talk to a person',
      value: 'handoff',
    });
    expect(step.state.nodeId).toBe('menu');
  });

  it('matches articles without regard to case or accents', () => {
    const step = stepBot(flow, articles, active('else'), 'Wann sind eure OFFNUNGSZEITEN?');
    expect(step.replies[0]?.text).toContain('Mo–Fr');
  });

  it('says it did not understand and offers the menu and a person when nothing matches', () => {
    const step = stepBot(flow, articles, active('else'), 'purple elephants');
    expect(step.replies[0]?.text).toMatch(/did not understand/);
    expect(step.replies[0]?.quickReplies.map((q) => q.label)).toEqual([
      'Order status',
      'Billing question',
      'Something else',
      'Talk to a person',
    ]);
  });

  it('greets first when the first message arrives before the greeting', () => {
    const step = stepBot(flow, articles, NEW_BOT_STATE, 'Order status');
    expect(step.replies.map((r) => r.text)).toEqual([
      'Hi! How can I help?',
      'Your order ships in 2 days.',
      'Anything else?',
    ]);
  });

  it('hands a disabled flow’s conversation to the default target at once, saying nothing', () => {
    const step = stepBot({ ...flow, enabled: false }, articles, NEW_BOT_STATE, 'hello');
    expect(step).toEqual({
      replies: [],
      state: { status: 'handed_off', nodeId: null, collected: {} },
      handoff: { target: { groupId: SUPPORT }, collected: {} },
    });
  });

  it('does not greet when the flow is disabled', () => {
    expect(startBot({ ...flow, enabled: false }, NEW_BOT_STATE).replies).toEqual([]);
  });

  it('offers the person quick reply once even when the flow has such a button', () => {
    const withButton: BotFlow = {
      ...flow,
      nodes: {
        ...flow.nodes,
        menu: {
          type: 'message',
          text: 'Hi',
          buttons: [{ label: 'talk to a person', next: 'ask_name' }],
        },
      },
    };
    expect(startBot(withButton, NEW_BOT_STATE).replies[0]?.quickReplies).toEqual([
      { label: 'talk to a person', value: 'handoff' },
    ]);
  });
});
