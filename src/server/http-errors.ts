import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config/config.ts';
import { AgentlogError, httpStatusOf } from '../domain/errors.ts';
import type { Refusal } from './api-ingest.ts';
import type { ErrorResponse } from './http-contract.ts';

export function errorBody(error: AgentlogError, request: FastifyRequest): ErrorResponse {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      requestId: String(request.id),
    },
  };
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as FastifyError).code === 'string';
}

/** Everything thrown while answering becomes an AgentlogError; Fastify's own errors get our words. */
export function asAgentlogError(error: unknown, config: ServerConfig): AgentlogError {
  if (error instanceof AgentlogError) return error;
  if (!isFastifyError(error)) return new AgentlogError('INTERNAL', 'Internal error.', { cause: error });
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AgentlogError('PAYLOAD_TOO_LARGE', `The body is larger than ${config.maxBodyBytes} bytes.`, {
        hint: 'Send fewer or smaller messages per request (the limit is server.maxBodyBytes).',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AgentlogError('UNSUPPORTED_FORMAT', 'The body must be JSON.', {
        hint: 'Send it with "Content-Type: application/json".',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AgentlogError('INVALID_ARGUMENT', `The body is not valid JSON: ${error.message}`);
    default: {
      const status = error.statusCode ?? 500;
      if (status === 404) return new AgentlogError('NOT_FOUND', error.message);
      if (status < 500) return new AgentlogError('INVALID_ARGUMENT', error.message);
      return new AgentlogError('INTERNAL', 'Internal error.', { cause: error });
    }
  }
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AgentlogError): FastifyReply {
  return reply.code(httpStatusOf(error)).send(errorBody(error, request));
}

/** 429 (queue full) or 503 (shutting down), both with Retry-After: nothing was taken, send it again. */
export function sendRefusal(reply: FastifyReply, request: FastifyRequest, refusal: Refusal): FastifyReply {
  const error =
    refusal.refused === 'full'
      ? new AgentlogError('BUSY', 'The write queue is full; nothing of this request was taken.', {
          hint: 'Send the same request again after Retry-After seconds.',
        })
      : new AgentlogError('UNAVAILABLE', 'The server is shutting down; nothing of this request was taken.', {
          hint: 'Send the same request again after Retry-After seconds.',
        });
  reply.header('retry-after', String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))));
  return sendError(reply, request, error);
}
