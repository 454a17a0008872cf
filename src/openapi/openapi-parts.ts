import { z } from 'zod';

/**
 * The pieces every OpenAPI fragment is built from (the server's routes, memory's, training
 * files'), generated from the zod contracts so the document cannot drift from what is checked.
 */

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

export const json = (id: string) => ({ 'application/json': { schema: ref(id) } });

/** Component schemas, each under its name; references between them stay references. */
export function componentSchemas(named: readonly [string, z.ZodType][]): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'input',
    unrepresentable: 'any',
  });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: string }).$schema;
    delete (schema as { $id?: string }).$id;
  }
  return schemas;
}

/** Query parameters from a query schema: one entry per property. */
export function queryParameters(schema: z.ZodType): object[] {
  const doc = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(doc.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: doc.required?.includes(name) ?? false,
    schema: property,
  }));
}
