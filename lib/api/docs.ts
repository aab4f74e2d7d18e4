import { z } from 'zod';
import { PERMISSIONS, PERMISSION_LABELS, type Permission } from '@/lib/keys/permissions';
import type { ApiAction } from './action';

/**
 * What /docs/api shows, derived from the action registry: nothing here names an action, so an
 * action added to the registry is documented the moment it exists.
 */

export interface ParamDoc {
  /** Dotted path for nested fields, `[]` for array items: `legs[].price`. */
  name: string;
  type: string;
  required: boolean;
  description: string;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};

const MAX_DEPTH = 3;

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return [...new Set(variants.map(typeOf))].join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return 'any';
  return types.map((t) => (t === 'array' ? `${s.items ? wrap(typeOf(s.items)) : 'any'}[]` : t)).join(' | ');
}

const wrap = (t: string) => (t.includes(' | ') ? `(${t})` : t);

// Patterns with a plain-words reading; any other pattern is shown as it is.
const KNOWN_PATTERNS: Record<string, string> = {
  '^[^\\u0000-\\u001f\\u007f]*$': 'no control characters',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Limits zod states in the schema, in words. Number.MIN/MAX_SAFE_INTEGER bounds say nothing. */
function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  const bound = (n: number | undefined) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (s.minLength === 1) out.push('not empty');
  else if (s.minLength !== undefined && s.minLength > 1) out.push(`at least ${plural(s.minLength, 'character')}`);
  if (s.maxLength !== undefined) out.push(`at most ${plural(s.maxLength, 'character')}`);
  if (bound(s.minimum)) out.push(`≥ ${s.minimum}`);
  if (bound(s.exclusiveMinimum)) out.push(`> ${s.exclusiveMinimum}`);
  if (bound(s.maximum)) out.push(`≤ ${s.maximum}`);
  if (bound(s.exclusiveMaximum)) out.push(`< ${s.exclusiveMaximum}`);
  if (s.minItems !== undefined && s.minItems > 0) out.push(`at least ${plural(s.minItems, 'item')}`);
  if (s.maxItems !== undefined) out.push(`at most ${plural(s.maxItems, 'item')}`);
  if (s.items?.maxLength !== undefined) out.push(`each at most ${plural(s.items.maxLength, 'character')}`);
  if (s.pattern) out.push(KNOWN_PATTERNS[s.pattern] ?? `matches /${s.pattern}/`);
  if (s.format) out.push(`format: ${s.format}`);
  for (const variant of s.anyOf ?? s.oneOf ?? []) if (variant.format) out.push(`${typeOf(variant)} format: ${variant.format}`);
  if (s.default !== undefined) out.push(`default: ${JSON.stringify(s.default)}`);
  return out;
}

/**
 * The values a field accepts once parsed, when its input side cannot say: `z.string()` piped
 * into `z.enum([...])` (e.g. case-insensitive) reads as a bare string on the input side.
 */
function acceptedValues(input: JsonSchema, output: JsonSchema | undefined): string | null {
  if (!output || input.enum || input.const !== undefined) return null;
  const values = output.enum ?? (output.const !== undefined ? [output.const] : null);
  return values ? `one of ${values.map((v) => JSON.stringify(v)).join(', ')}` : null;
}

function describe(s: JsonSchema, output: JsonSchema | undefined, name: string, required: boolean, depth: number): ParamDoc[] {
  const said = s.description ?? '';
  // The description may already state a limit; say each once.
  const extra = [acceptedValues(s, output), ...constraintsOf(s)].filter((c): c is string => !!c && !said.includes(c));
  const text = [said, ...extra].filter(Boolean).join('; ');
  const row: ParamDoc = { name, type: typeOf(s), required, description: text };
  if (depth >= MAX_DEPTH) return [row];
  if (s.properties) return [row, ...fieldsOf(s, output, `${name}.`, depth + 1)];
  if (s.items?.properties) return [row, ...fieldsOf(s.items, output?.items, `${name}[].`, depth + 1)];
  return [row];
}

function fieldsOf(s: JsonSchema, output: JsonSchema | undefined, prefix: string, depth: number): ParamDoc[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([key, field]) =>
    describe(field, output?.properties?.[key], prefix + key, required.has(key), depth),
  );
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema | undefined {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}

/**
 * The request fields of a params schema, as the caller sends them (zod's input side: a field
 * with a default is optional), with the values an enum behind a transform accepts. Refinements
 * cannot be expressed in JSON Schema and are skipped; the 422 message names the field when one fails.
 */
export function describeParams(schema: z.ZodType): ParamDoc[] {
  const input = jsonSchemaOf(schema, 'input');
  return input ? fieldsOf(input, jsonSchemaOf(schema, 'output'), '', 0) : [];
}

export interface ActionGroup {
  permission: Permission | null;
  title: string;
  actions: ApiAction[];
}

/** Public actions first, then one group per permission in the product's order; empty groups dropped. */
export function groupActions(actions: readonly ApiAction[]): ActionGroup[] {
  const groups: ActionGroup[] = [
    { permission: null, title: 'Public', actions: actions.filter((a) => a.permission === null) },
    ...PERMISSIONS.map((p) => ({ permission: p, title: PERMISSION_LABELS[p], actions: actions.filter((a) => a.permission === p) })),
  ];
  return groups.filter((g) => g.actions.length > 0);
}

export const anchorOf = (name: string) => `action-${name}`;

export const restPathOf = (action: Pick<ApiAction, 'name' | 'permission'>) =>
  `${action.permission === null ? '/api/rest-public' : '/api/rest'}/${action.name}`;

/** The request body the examples send and sign: compact JSON, so the bytes are unambiguous. */
export const exampleBodyOf = (action: Pick<ApiAction, 'exampleParams'>) => JSON.stringify(action.exampleParams ?? {});

export function wsExamplesOf(action: Pick<ApiAction, 'name' | 'exampleParams' | 'exampleResponse'>, oid = '1') {
  return {
    request: { e: action.name, oid, data: action.exampleParams ?? {} },
    response: { e: action.name, oid, ok: 'ok', data: action.exampleResponse },
  };
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The base URL shown in the examples, from the request's Host. The header is the caller's own
 * and only echoed back to them, but it is still checked so nothing odd lands in the page.
 */
export function baseUrlOf(host: string | null, forwardedProto: string | null, fallback: string): string {
  if (!host || !HOST.test(host)) return fallback.replace(/\/+$/, '');
  const proto = forwardedProto?.split(',')[0].trim().toLowerCase();
  const scheme = proto === 'https' || proto === 'http' ? proto : new URL(fallback).protocol.replace(':', '');
  return `${scheme}://${host}`;
}

export const wsUrlOf = (baseUrl: string) => `${baseUrl.replace(/^http/, 'ws')}/api/ws`;
