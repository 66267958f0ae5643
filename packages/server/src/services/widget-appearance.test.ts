import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { contrastWithWhite } from './widget-color.js';

describe('contrastWithWhite', () => {
  it('rates black on white 21:1 and white on white 1:1', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#1f3a8a')).toBeGreaterThan(4.5);
  });
});

describe.each(availableStorageKinds())('widget colour and greeting on %s', (kind) => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
  });
  afterAll(async () => t.close());

  it('serves the default colour and greeting to anyone before an admin sets them', async () => {
    const r = await api.call('GET', '/api/widget/config');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      color: '#1f3a8a',
      greeting: 'Hi! Ask us anything, we are happy to help.',
    });
  });

  it('shows what an admin saved to the widget, without a token', async () => {
    const saved = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { widgetColor: '#0b5cad', widgetGreeting: 'Hi! Ask us anything.' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      widgetColor: '#0b5cad',
      widgetGreeting: 'Hi! Ask us anything.',
    });
    const r = await api.call('GET', '/api/widget/config');
    expect(r.body).toEqual({ color: '#0b5cad', greeting: 'Hi! Ask us anything.' });
  });

  it('refuses a colour white text is unreadable on, naming the field, and keeps the old one', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { widgetColor: '#ffee00', widgetGreeting: 'Changed' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'widgetColor' });
    expect(r.body.error.message).toMatch(/contrast/);
    const after = await api.call('GET', '/api/settings', { token: admin });
    expect(after.body).toMatchObject({
      widgetColor: '#0b5cad',
      widgetGreeting: 'Hi! Ask us anything.',
    });
  });

  it('refuses a colour that is not #rrggbb, naming the field', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { widgetColor: 'navy' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('widgetColor');
  });
});
