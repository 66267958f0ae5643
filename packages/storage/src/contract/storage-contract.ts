import { routingQueueContract } from './routing-queue-contract.js';
import { describe } from 'vitest';
import type { StorageKind } from '../database.js';
import { accountsContract } from './accounts-contract.js';
import { concurrencyContract } from './concurrency-contract.js';
import { conversationsContract } from './conversations-contract.js';
import { feedContract } from './feed-contract.js';
import { migrationsContract } from './migrations-contract.js';
import { ticketListingContract } from './ticket-listing-contract.js';
import { ticketsContract } from './tickets-contract.js';
import { typesContract } from './types-contract.js';

/**
 * The storage port's contract: every adapter runs these same tests. Each describe block takes a
 * fresh migrated database from createTestDatabase(kind) and closes it afterwards.
 */
export function storageContract(kind: StorageKind): void {
  describe(`storage contract on ${kind}`, () => {
    migrationsContract(kind);
    conversationsContract(kind);
    feedContract(kind);
    ticketsContract(kind);
    ticketListingContract(kind);
    concurrencyContract(kind);
    accountsContract(kind);
    typesContract(kind);
    routingQueueContract(kind);
  });
}
