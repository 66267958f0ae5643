/** An error reply from the API: the stable code, the message and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;

/** Called when any request answers 401 (the login expired or was ended): back to login. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (response.ok) return body as T;
  if (response.status === 401) onUnauthorized();
  const error = (body as { error?: { code?: string; message?: string; field?: string } } | null)
    ?.error;
  throw new ApiError(
    response.status,
    error?.code ?? `http/${response.status}`,
    error?.message ?? (response.status === 413 ? 'The file is too large' : response.statusText),
    error?.field,
  );
}

/** A JSON call to the Parlour API with the session cookie. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return parse<T>(response);
}

/** Upload one file (multipart, field "file"). */
export async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch(path, { method: 'POST', credentials: 'same-origin', body: form });
  return parse<T>(response);
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A message for the agent from any error. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return `The file is too large. ${error.message}`;
    if (error.status === 415) return `This type of file is not accepted. ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
