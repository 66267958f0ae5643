import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { registeredRoutes } from '../http/app.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
}

describe.each(availableStorageKinds())('the API description on %s', (kind) => {
  let t: TestServer;
  let document: OpenApiDocument;
  let status: number;

  beforeAll(async () => {
    t = await startTestServer(kind, { seed: false });
    const r = await apiClient(t.server.app).call<OpenApiDocument>('GET', '/api/openapi.json');
    status = r.status;
    document = r.body;
  });
  afterAll(async () => t.close());

  const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

  it('is served to anyone as an OpenAPI 3 document', () => {
    expect(status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBeTruthy();
  });

  it('lists every registered route with its methods', () => {
    // The front ends' pages and files (http/routes/static-routes.ts) are not part of the API.
    const pages = new Set(['/', '/agent', '/agent/*', '/widget.js', '/widget/*', '/demo']);
    const missing = registeredRoutes(t.server.app)
      .filter((route) => route.method !== 'HEAD' && !pages.has(route.url))
      .filter((route) => !document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()])
      .map((route) => `${route.method} ${route.url}`);
    expect(missing).toEqual([]);
  });

  it('lists no route that does not exist', () => {
    const registered = new Set(
      registeredRoutes(t.server.app).map((route) => `${route.method} ${openApiPath(route.url)}`),
    );
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((d) => !registered.has(d))).toEqual([]);
  });

  it('describes what every operation does', () => {
    const undescribed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => !op.summary)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    expect(undescribed).toEqual([]);
  });
});
