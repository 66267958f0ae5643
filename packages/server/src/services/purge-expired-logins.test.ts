import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describe.each(availableStorageKinds())('purging expired logins on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
  });
  afterAll(async () => t.close());

  it('removes login sessions a day after they expired, by a durable hourly job', async () => {
    const api = apiClient(t.server.app);
    await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const count = async () =>
      (await t.server.database.db.selectFrom('auth_sessions').select('token_hash').execute())
        .length;
    expect(await count()).toBe(1);
    clock.advance(2 * 60 * 60 * 1000);
    await t.server.timers.runDue();
    expect(await count()).toBe(1);
    clock.advance(24 * 60 * 60 * 1000);
    await t.server.timers.runDue();
    expect(await count()).toBe(0);
    expect(await t.server.timers.isScheduled('maintenance:purge-expired-logins')).toBe(true);
  });
});
