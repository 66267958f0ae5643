import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

describe.each(availableStorageKinds())('skills, relaxation and overflow on %s', (kind) => {
  let bed: RoutingTestBed;
  let skilled: TestAgent;
  let unskilled: TestAgent;
  let german: string;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    skilled = await bed.newAgent('Greta');
    unskilled = await bed.newAgent('Uma');
    german = await createSkill('German');
    const r = await bed.api.call('PUT', `/api/agents/${skilled.id}/skills`, {
      token: bed.admin.token,
      body: { skillIds: [german] },
    });
    expect(r.status).toBe(200);
  });
  afterEach(async () => bed.reset());
  afterAll(async () => bed.close());

  async function createSkill(name: string): Promise<string> {
    const r = await bed.api.call('POST', '/api/skills', {
      token: bed.admin.token,
      body: { name },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  const requireSkills = (ticketId: string, skillIds: string[]) =>
    bed.api.call('PUT', `/api/tickets/${ticketId}/required-skills`, {
      token: bed.admin.token,
      body: { skillIds },
    });

  it('offers a ticket that requires a skill only to an agent who has it', async () => {
    // Without the requirement, Uma (more room) would be preferred.
    await bed.capacity(unskilled, { messaging: 6 });
    const groupId = await bed.newGroup('Skills', [skilled, unskilled]);
    const chat = await bed.handoff(groupId, 'Hallo, ich brauche Hilfe');
    expect((await requireSkills(chat.ticketId, [german])).status).toBe(200);
    await bed.available(unskilled, skilled);

    expect(await bed.offeredTo(chat.ticketId, [skilled, unskilled])).toEqual([skilled]);
    const offered = (await bed.history(chat.ticketId)).find((e) => e.type === 'routing.offered');
    expect(offered?.data.considered).toEqual(
      expect.arrayContaining([
        { agentId: skilled.id, outcome: 'chosen' },
        expect.objectContaining({ agentId: unskilled.id, outcome: 'skill' }),
      ]),
    );
  });

  it('refuses an unknown skill on a ticket with 404 on skillIds, and changes nothing', async () => {
    const groupId = await bed.newGroup('Skills', [skilled, unskilled]);
    const chat = await bed.handoff(groupId);
    expect((await requireSkills(chat.ticketId, [german])).status).toBe(200);

    const r = await requireSkills(chat.ticketId, [randomUUID()]);

    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', field: 'skillIds' });
    // The ticket still requires German: the unskilled agent is passed over.
    await bed.available(unskilled);
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([]);
    expect((await bed.queued(chat.ticketId))?.reason).toContain(german);
  });

  it('refuses an unknown skill on an agent with 404 on skillIds, and changes nothing', async () => {
    const r = await bed.api.call('PUT', `/api/agents/${skilled.id}/skills`, {
      token: bed.admin.token,
      body: { skillIds: [german, randomUUID()] },
    });

    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', field: 'skillIds' });
    expect((await bed.agentView(skilled)).skillIds).toEqual([german]);
  });

  it('drops the required skills after skillRelaxAfterS, and an agent without them gets the ticket', async () => {
    const groupId = await bed.newGroup('Relaxing', [unskilled], { skillRelaxAfterS: 120 });
    const chat = await bed.handoff(groupId);
    expect((await requireSkills(chat.ticketId, [german])).status).toBe(200);
    await bed.available(unskilled);

    await bed.pass(119_000);
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([]);
    expect(await bed.historyTypes(chat.ticketId)).not.toContain('routing.skills_relaxed');

    await bed.pass(2_000);
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([unskilled]);
    const relaxed = (await bed.history(chat.ticketId)).find(
      (e) => e.type === 'routing.skills_relaxed',
    );
    expect(relaxed?.data).toMatchObject({ droppedSkills: [german] });
  });

  it('moves a waiting ticket to the overflow group after overflowAfterS and offers it there', async () => {
    const secondary = await bed.newGroup('Secondary', [unskilled]);
    const primary = await bed.newGroup('Primary', [skilled], {
      overflowGroupId: secondary,
      overflowAfterS: 300,
    });
    await bed.available(unskilled);
    const chat = await bed.handoff(primary);

    await bed.pass(299_000);
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ groupId: primary });
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([]);

    await bed.pass(2_000);
    expect(await bed.ticket(chat.ticketId)).toMatchObject({ groupId: secondary });
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([unskilled]);
    const overflowed = (await bed.history(chat.ticketId)).find(
      (e) => e.type === 'routing.overflowed',
    );
    expect(overflowed?.data).toMatchObject({ fromGroupId: primary, toGroupId: secondary });
  });

  it('relaxes the skills of a ticket whose wait ended while it was offered, once the offer is declined', async () => {
    const groupId = await bed.newGroup('Relaxing', [skilled, unskilled], {
      skillRelaxAfterS: 60,
      offerTimeoutS: 120,
    });
    const chat = await bed.handoff(groupId);
    expect((await requireSkills(chat.ticketId, [german])).status).toBe(200);
    await bed.available(skilled, unskilled);
    const offer = await bed.offerOf(skilled, chat.ticketId);

    await bed.pass(61_000);
    await bed.api.call('POST', `/api/offers/${offer.id}/decline`, { token: skilled.token });
    await bed.pass(60_000);

    expect(await bed.offeredTo(chat.ticketId, [skilled, unskilled])).toEqual([unskilled]);
    expect(await bed.historyTypes(chat.ticketId)).toContain('routing.skills_relaxed');
  });

  it('overflows a ticket whose wait ended while it was offered, once the offer is declined', async () => {
    const secondary = await bed.newGroup('Secondary', [unskilled]);
    const primary = await bed.newGroup('Primary', [skilled], {
      overflowGroupId: secondary,
      overflowAfterS: 60,
      offerTimeoutS: 120,
    });
    await bed.available(skilled, unskilled);
    const chat = await bed.handoff(primary);
    const offer = await bed.offerOf(skilled, chat.ticketId);

    await bed.pass(61_000);
    await bed.api.call('POST', `/api/offers/${offer.id}/decline`, { token: skilled.token });
    await bed.pass(60_000);

    expect(await bed.ticket(chat.ticketId)).toMatchObject({ groupId: secondary });
    expect(await bed.offeredTo(chat.ticketId, [skilled, unskilled])).toEqual([unskilled]);
  });

  it('withdraws an offer made before a skill was required, and relaxes the requirement in time', async () => {
    const groupId = await bed.newGroup('Relaxing', [unskilled], { skillRelaxAfterS: 60 });
    await bed.available(unskilled);
    const chat = await bed.handoff(groupId);
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([unskilled]);

    expect((await requireSkills(chat.ticketId, [german])).status).toBe(200);
    await bed.settle();
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([]);
    expect(await bed.historyTypes(chat.ticketId)).toContain('routing.offer_withdrawn');

    await bed.pass(61_000);
    expect(await bed.offeredTo(chat.ticketId, [unskilled])).toEqual([unskilled]);
    expect(await bed.historyTypes(chat.ticketId)).toContain('routing.skills_relaxed');
  });

  it('explains in the live queue why each ticket still waits', async () => {
    const nobody = await bed.newGroup('Nobody on duty', [await bed.newAgent('Nina')]);
    const full = await bed.newGroup('Full', [unskilled]);
    const skills = await bed.newGroup('Skills', [skilled]);
    const french = await createSkill('French');
    await bed.capacity(unskilled, { messaging: 0 });
    const unstaffed = await bed.handoff(nobody);
    const atCapacity = await bed.handoff(full);
    const needsFrench = await bed.handoff(skills);
    expect((await requireSkills(needsFrench.ticketId, [french])).status).toBe(200);
    await bed.available(unskilled, skilled);

    expect((await bed.queued(unstaffed.ticketId))?.reason).toMatch(/no agent .* is available/);
    expect((await bed.queued(atCapacity.ticketId))?.reason).toMatch(/at messaging capacity/);
    expect((await bed.queued(needsFrench.ticketId))?.reason).toMatch(new RegExp(`skill ${french}`));
    for (const chat of [unstaffed, atCapacity, needsFrench])
      expect(await bed.queued(chat.ticketId)).toMatchObject({ state: 'queued' });
  });
});
