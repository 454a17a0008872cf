import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, requireScope, type Principal } from '../auth/api-keys.ts';
import type { ApiKeyScope } from '../domain/api-key.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { Store } from '../storage/ports.ts';

/** Who may call a route: a key with this scope, or anyone (`public`). Routes without it need `admin`. */
export type RouteAccess = ApiKeyScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new AgentlogError('UNAUTHORIZED', 'The Authorization header is not "Bearer <key>".', {
        hint: 'Send "Authorization: Bearer <key>".',
      });
    }
    return match[1]!;
  }
  // Browsers cannot set headers on a WebSocket, so the key may come as ?token= there (and only there).
  if (request.headers.upgrade?.toLowerCase() === 'websocket') {
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string') return token;
  }
  return null;
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null)
    throw new AgentlogError('INTERNAL', 'Route reached without authentication.');
  return request.principal;
}

/** Every request is authenticated before routing reaches a handler (WebSocket upgrades included). */
export function registerAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access ?? 'admin';
    if (access === 'public') return;
    const principal = await authenticate(store, bearerToken(request));
    requireScope(principal, access);
    request.principal = principal;
  });
}

/** The URL as logged: a key given as ?token= never reaches the log. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
}
