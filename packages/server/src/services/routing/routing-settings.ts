import { readSetting, writeSetting, type Db } from '@parlour/storage';

export interface RoutingSettings {
  /** Default capacity per agent per channel; agents may have overrides. */
  readonly messagingCapacity: number;
  readonly emailCapacity: number;
  /** How long an agent whose last connection dropped stays in their status before going Offline. */
  readonly presenceGraceS: number;
}

export const ROUTING_DEFAULTS: RoutingSettings = {
  messagingCapacity: 3,
  emailCapacity: 10,
  presenceGraceS: 60,
};

export async function readRoutingSettings(db: Db): Promise<RoutingSettings> {
  return { ...ROUTING_DEFAULTS, ...(await readSetting<Partial<RoutingSettings>>(db, 'routing')) };
}

export async function writeRoutingSettings(
  db: Db,
  patch: Partial<RoutingSettings>,
  at: Date,
): Promise<RoutingSettings> {
  const next = { ...(await readRoutingSettings(db)), ...patch };
  await writeSetting(db, 'routing', next, at);
  return next;
}
