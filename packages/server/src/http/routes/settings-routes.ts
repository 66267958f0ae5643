import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Settings, UpdateSettingsBody, WidgetConfig } from '@parlour/protocol';
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
  app.get(
    '/api/widget/config',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary:
          "The widget's colour and greeting (public: the chat frame reads it before a visitor has a token)",
        response: { 200: WidgetConfig },
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'no-cache').send(await services.settings.widgetConfig()),
  );
};
