import { DomainError } from '@parlour/core';
import type {
  EndUserExport,
  EndUserSearchQuery,
  EndUserSummary,
  ErasureSummary,
} from '@parlour/protocol';
import { findEndUsers } from '@parlour/storage';
import type { FileStorage } from '../../files/file-storage.js';
import type { ServiceContext } from '../context.js';
import { eraseEndUser, type ErasureHooks } from './erase-end-user.js';
import { exportEndUser } from './export-end-user.js';

const FOUND_MAX = 100;

/** Data subjects' requests about an end user (a customer): find them, export them, erase them. */
export class PrivacyService {
  /** `files`: where attachments' bytes are; exported as base64, erased after commit. */
  constructor(
    private readonly ctx: ServiceContext,
    private readonly hooks: ErasureHooks,
    private readonly files: FileStorage,
  ) {}

  /** By email (any case) and/or external id: a request names one of them, never neither. */
  async find(query: EndUserSearchQuery): Promise<EndUserSummary[]> {
    if (query.email === undefined && query.externalId === undefined) {
      throw new DomainError('validation/invalid', 'Give an email or an externalId', 'email');
    }
    const found = await findEndUsers(
      this.ctx.database.db,
      {
        ...(query.email !== undefined ? { email: query.email } : {}),
        ...(query.externalId !== undefined ? { externalId: query.externalId } : {}),
      },
      FOUND_MAX,
    );
    return found.map((e) => ({
      id: e.id,
      externalId: e.externalId,
      email: e.email,
      name: e.name,
      verified: e.verified,
      createdAt: e.createdAt.toISOString(),
      conversationCount: e.conversationCount,
    }));
  }

  export(endUserId: string): Promise<EndUserExport> {
    return exportEndUser(this.ctx, this.files, endUserId);
  }

  erase(endUserId: string): Promise<ErasureSummary> {
    return eraseEndUser(this.ctx, this.hooks, this.files, endUserId);
  }
}
