import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Validates request parts with TypeBox. Query strings, params and headers arrive as strings:
 * defaults are filled and values converted first. Bodies are checked as sent (no coercion, no
 * stripping): an unknown field is an error, never silently dropped.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    const prepared =
      httpPart === 'body'
        ? value
        : Value.Convert(schema, Value.Default(schema, Value.Clone(value)));
    if (!check.Check(prepared)) return { error: [...check.Errors(prepared)] as never };
    const nul = nulPath(prepared);
    if (nul !== null) return { error: [nulError(nul)] as never };
    return { value: prepared };
  };
};

/**
 * The database cannot store text containing U+0000, so such text is bad input: the path of the
 * first string holding one (JSON-pointer style, '' for the value itself), or null.
 */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? `${path}/${key}` : nulPath(item, `${path}/${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

export function nulError(instancePath: string) {
  return { keyword: 'nul', instancePath, params: {}, message: 'must not contain NUL characters' };
}
