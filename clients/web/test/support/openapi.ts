// docs/openapi.yaml, parsed, for the tests that keep the hand-written types
// equal to it.

import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repositoryRoot } from "./service.js";

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
}

let cached: { components: { schemas: Record<string, Schema> } } | null = null;

export function openapiSchema(name: string): Schema {
  cached ??= parse(readFileSync(path.join(repositoryRoot(), "docs", "openapi.yaml"), "utf8"));
  const schema = cached!.components.schemas[name];
  if (!schema) throw new Error(`docs/openapi.yaml has no components.schemas.${name}`);
  return schema;
}
