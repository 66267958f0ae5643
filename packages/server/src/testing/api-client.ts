import type { FastifyInstance } from 'fastify';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, unknown>;
}

/** In-process HTTP calls (fastify.inject) with JSON in and out. */
export function apiClient(app: FastifyInstance) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  async function call<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });
    const text = response.body;
    // Pages, scripts (the CSAT page) and plain text (/metrics) come back as text; the rest is JSON.
    const page = /^text\/(html|javascript|plain)/.test(
      String(response.headers['content-type'] ?? ''),
    );
    return {
      status: response.statusCode,
      body: (text ? (page ? text : JSON.parse(text)) : null) as T,
      headers: response.headers,
    };
  }
  return {
    call,
    async login(email: string, password: string): Promise<string> {
      const r = await call<{ token: string }>('POST', '/api/auth/login', {
        body: { email, password },
      });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token;
    },
    async visitor(): Promise<{ token: string; endUserId: string }> {
      const r = await call<{ token: string; endUser: { id: string } }>(
        'POST',
        '/api/widget/session',
        { body: {} },
      );
      if (r.status !== 200) throw new Error(`widget session failed: ${r.status}`);
      return { token: r.body.token, endUserId: r.body.endUser.id };
    },
  };
}
