import { describe, expect, it } from 'vitest';
import { bothStorageKinds } from '../testing/test-database.js';
import { storageContract } from './storage-contract.js';

for (const kind of bothStorageKinds()) storageContract(kind);

// Without DATABASE_URL the PostgreSQL run is not listed at all; this marker makes the report say it was skipped.
describe.skipIf(!process.env.DATABASE_URL)('postgres storage contract', () => {
  it('runs against PostgreSQL because DATABASE_URL is set', () => {
    expect(bothStorageKinds()).toContain('postgres');
  });
});
