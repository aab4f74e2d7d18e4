import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/web/auth-options';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the secret may be generated into ./data at start-up.
async function handler(req: NextRequest, ctx: RouteContext) {
  return NextAuth(req, ctx, authOptions());
}

export { handler as GET, handler as POST };
