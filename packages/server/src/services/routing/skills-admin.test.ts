import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

interface Skill {
  id: string;
  name: string;
}

describe.each(availableStorageKinds())(
  'skills and capacity, as the console edits them, on %s',
  (kind) => {
    let bed: RoutingTestBed;
    let agent: TestAgent;

    beforeAll(async () => {
      bed = await RoutingTestBed.start(kind);
      agent = await bed.newAgent('Karin');
    });
    afterEach(async () => bed.reset());
    afterAll(async () => bed.close());

    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      body?: unknown,
    ) =>
      bed.api.call(method, url, {
        token: bed.admin.token,
        ...(body !== undefined ? { body } : {}),
      });

    async function createSkill(name: string): Promise<string> {
      const r = await call('POST', '/api/skills', { name });
      expect(r.status).toBe(201);
      return r.body.id as string;
    }
    const skills = async () => (await call('GET', '/api/skills')).body as Skill[];

    it('renames a skill and keeps the agents who have it', async () => {
      const id = await createSkill(`Spanish ${randomUUID()}`);
      expect((await call('PUT', `/api/agents/${agent.id}/skills`, { skillIds: [id] })).status).toBe(
        200,
      );

      const r = await call('PATCH', `/api/skills/${id}`, { name: '  Español  ' });

      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id, name: 'Español' });
      expect(await skills()).toContainEqual({ id, name: 'Español' });
      expect((await bed.agentView(agent)).skillIds).toEqual([id]);
    });

    it('refuses to rename a skill to another skill’s name with 409 on name, and changes nothing', async () => {
      const first = await createSkill('Billing');
      await createSkill('Refunds');

      const r = await call('PATCH', `/api/skills/${first}`, { name: 'refunds' });

      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'name' });
      expect(await skills()).toContainEqual({ id: first, name: 'Billing' });
    });

    it('deletes an unused skill and takes it from the agents who had it', async () => {
      const id = await createSkill('Legacy product');
      await call('PUT', `/api/agents/${agent.id}/skills`, { skillIds: [id] });

      const r = await call('DELETE', `/api/skills/${id}`);

      expect(r.status).toBe(200);
      expect((await skills()).map((s) => s.id)).not.toContain(id);
      expect((await bed.agentView(agent)).skillIds).toEqual([]);
      expect((await call('DELETE', `/api/skills/${id}`)).status).toBe(404);
    });

    it('refuses to delete a skill a waiting ticket requires, with 409 on skillId, and keeps it', async () => {
      const id = await createSkill('Dutch');
      const groupId = await bed.newGroup('Dutch desk', [agent]);
      const chat = await bed.handoff(groupId, 'Hallo');
      expect(
        (await call('PUT', `/api/tickets/${chat.ticketId}/required-skills`, { skillIds: [id] }))
          .status,
      ).toBe(200);

      const r = await call('DELETE', `/api/skills/${id}`);

      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'conflict', field: 'skillId' });
      expect(r.body.error.message).toContain('tickets');
      expect((await skills()).map((s) => s.id)).toContain(id);
    });

    it('refuses to delete a skill a trigger sets, naming the triggers', async () => {
      const id = await createSkill('VIP');
      const trigger = await call('POST', '/api/triggers', {
        name: 'VIP needs VIP agents',
        conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
        actions: [{ type: 'set_skills', value: [id] }],
      });
      expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);

      const r = await call('DELETE', `/api/skills/${id}`);

      expect(r.status).toBe(409);
      expect(r.body.error.message).toContain('triggers');
      expect((await skills()).map((s) => s.id)).toContain(id);
    });

    it('shows an agent’s own capacity apart from the default, and null once reset', async () => {
      await bed.capacity(agent, { messaging: 7 });
      const view = await bed.agentView(agent);
      expect(view.capacityOverride).toEqual({ messaging: 7, email: null });
      expect(view.capacity.messaging).toBe(7);

      await bed.capacity(agent, { messaging: null });
      expect((await bed.agentView(agent)).capacityOverride).toEqual({
        messaging: null,
        email: null,
      });
    });
  },
);
