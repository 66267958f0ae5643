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
    const prepared = httpPart === 'body' ? value : Value.Convert(schema, Value.Default(schema, Value.Clone(value)));
    if (check.Check(prepared)) return { value: prepared };
    return { error: [...check.Errors(prepared)] as never };
  };
};
