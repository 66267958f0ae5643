import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where the built front ends live (`npm run build` writes them). */
export const APPS_DIR = fileURLToPath(new URL('../../../../../apps/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Reads a file of a built app, refusing anything outside its `dist` folder (no `..`, no absolute
 * paths, no hidden files). Undefined when there is no such file.
 */
export async function readBuiltFile(
  app: string,
  relative: string,
): Promise<{ body: Buffer; type: string } | undefined> {
  const root = resolve(APPS_DIR, app, 'dist');
  const path = resolve(root, relative);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  if (relative.split('/').some((part) => part.startsWith('.'))) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return {
    body: await readFile(path),
    type: TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
  };
}

function notBuilt(reply: FastifyReply, app: string) {
  return reply.code(503).send({
    error: {
      code: 'app/not-built',
      message: `The ${app} front end is not built: run npm run build`,
    },
  });
}

function send(reply: FastifyReply, file: { body: Buffer; type: string }, relative: string) {
  // Hashed asset names never change content: cache them for a year; everything else revalidates.
  const immutable = relative.startsWith('assets/');
  return reply
    .header('content-type', file.type)
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .send(file.body);
}

/**
 * The front ends: the agent workspace at /agent (a single-page app: unknown paths get its
 * index.html), the widget's loader at /widget.js, its frame at /widget/, and a demo host page at
 * /demo. All public: the pages hold no data, they call the API like any client.
 */
export const staticRoutes: FastifyPluginAsync = async (app) => {
  const schema = { hide: true } as const;

  app.get('/', { config: { access: 'public' }, schema }, async (_request, reply) =>
    reply.redirect('/agent/'),
  );

  const agent = async (relative: string, reply: FastifyReply) => {
    const file =
      (relative && (await readBuiltFile('agent', relative))) ||
      (relative.startsWith('assets/') ? undefined : await readBuiltFile('agent', 'index.html'));
    if (!file) {
      if (relative.startsWith('assets/'))
        return reply
          .code(404)
          .send({ error: { code: 'route/not-found', message: 'No such file' } });
      return notBuilt(reply, 'agent');
    }
    return send(reply, file, relative);
  };
  app.get('/agent', { config: { access: 'public' }, schema }, async (_request, reply) =>
    agent('', reply),
  );
  app.get<{ Params: { '*': string } }>(
    '/agent/*',
    { config: { access: 'public' }, schema },
    async (request, reply) => agent(request.params['*'], reply),
  );

  app.get('/widget.js', { config: { access: 'public' }, schema }, async (_request, reply) => {
    const file = await readBuiltFile('widget', 'widget.js');
    if (!file) return notBuilt(reply, 'widget');
    // Any site may load the loader script; it only opens the frame.
    return send(reply, file, 'widget.js').header('access-control-allow-origin', '*');
  });
  app.get<{ Params: { '*': string } }>(
    '/widget/*',
    { config: { access: 'public', csp: 'widget' }, schema },
    async (request, reply) => {
      const relative = request.params['*'] || 'frame.html';
      const file = await readBuiltFile('widget', relative);
      if (!file) {
        if (relative === 'frame.html') return notBuilt(reply, 'widget');
        return reply
          .code(404)
          .send({ error: { code: 'route/not-found', message: 'No such file' } });
      }
      return send(reply, file, relative);
    },
  );
  app.get('/demo', { config: { access: 'public' }, schema }, async (_request, reply) => {
    const file = await readBuiltFile('widget', 'demo.html');
    if (!file) return notBuilt(reply, 'widget');
    return send(reply, file, 'demo.html');
  });
};
