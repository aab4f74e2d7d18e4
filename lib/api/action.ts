import type { z } from 'zod';
import type { Db } from '@/db/client';
import type { OnceClaim } from '@/db/queries/replay-claims';
import type { Permission } from '@/lib/keys/permissions';
import type { Awaitable } from '@/lib/platform/awaitable';

/** Who is calling an action: the key's account (absent for public actions). */
export interface ActionContext {
  db: Db;
  accountId: string;
  apiKeyId: string;
  now: Date;
  /**
   * For a REST call of an action that `claimsOwnReplay`: the call's claim on its signature, which
   * the handler makes in the transaction that takes its effect, recording there the answer
   * `once.answerOf` gives for its result — which must be what the handler returns. A copy of a
   * call claimed first must be refused with AlreadyClaimed (db/queries/replay-claims.ts).
   */
  once?: OnceClaim<unknown>;
}

export interface PublicActionContext {
  db: Db;
  now: Date;
}

interface ActionDocs<P extends z.ZodType> {
  summary: string;
  /** Shown on /docs/api and used by tests: a request that works against the demo data. */
  exampleParams: z.input<P>;
  exampleResponse: unknown;
}

/**
 * One entry of the action registry, the single source of truth for REST, WebSocket, the
 * permission check and the docs page.
 */
export type ApiAction<P extends z.ZodType = z.ZodType> = ActionDocs<P> & {
  name: string;
  params: P;
} & (
    | {
        permission: Permission;
        /** Changes state: its signature is accepted once (replay protection). */
        mutating: boolean;
        /** Its handler makes the replay claim itself, in its own transaction (ctx.once); else the gateway makes it first. */
        claimsOwnReplay?: true;
        handler: (ctx: ActionContext, params: z.output<P>) => Awaitable<unknown>;
      }
    | {
        permission: null;
        mutating: false;
        handler: (ctx: PublicActionContext, params: z.output<P>) => Awaitable<unknown>;
      }
  );

export function defineAction<P extends z.ZodType>(action: ApiAction<P>): ApiAction<P> {
  return action;
}
