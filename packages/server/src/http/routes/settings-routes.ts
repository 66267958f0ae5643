import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Settings, UpdateSettingsBody } from '@parlour/protocol';
import { ADMINS } from '../../principal.js';
import type { Services } from '../services.js';

export const settingsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['settings'],
        summary: 'Workspace settings (secrets are never returned)',
        response: { 200: Settings },
      },
    },
    async () => services.settings.view(),
  );
  app.patch(
    '/api/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['settings'],
        summary: 'Identity verification, allowed widget origins, whether agents may end sessions',
        body: UpdateSettingsBody,
        response: { 200: Settings },
      },
    },
    async (request) => services.settings.update(request.body),
  );
};
