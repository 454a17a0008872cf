/**
 * The server's wire contracts as the SDK sees them, written as plain types because the SDK ships
 * without zod or any other dependency. The contracts themselves are defined once on the server
 * (domain/api-message.ts, server/http-contract.ts, server/ws-protocol.ts);
 * test/client/wire-types.test.ts fails to compile when these drift from them.
 */

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | {
      type: 'tool_result';
      toolUseId: string;
      content: string | ({ type: 'text'; text: string } | { type: string; [key: string]: unknown })[];
      isError?: boolean;
    }
  /** Any other block type is kept whole by the server. */
  | { type: string; [key: string]: unknown };

/** One message as the API takes it (`POST /v1/messages:batch`, the WebSocket `message` frame). */
export type WireMessage = {
  /** Idempotency key, unique within the project: sending it again stores nothing twice. */
  id: string;
  /** Your own session id. */
  session: string;
  role: MessageRole;
  content: string | ContentBlock[];
  speaker?: { name: string; role: string };
  /** Epoch milliseconds, or ISO 8601 with a zone. */
  timestamp?: number | string;
  model?: string;
  metadata?: Record<string, unknown>;
};

/** A UI event recorded beside the conversation (WebSocket `interaction` frame). */
export type WireInteraction = {
  id: string;
  session: string;
  type: string;
  target?: string;
  url?: string;
  text?: string;
  timestamp?: number | string;
  metadata?: Record<string, unknown>;
};

export type WireStatus = 'accepted' | 'duplicate' | 'rejected';

export type WireBatchResult = { index: number; id: string | null; status: WireStatus; reason?: string };

export type WireBatchResponse = { results: WireBatchResult[] };

export type WireClientFrame =
  | { type: 'session_start'; ref?: string; session: string; metadata?: Record<string, unknown> }
  | { type: 'message'; ref?: string; message: WireMessage }
  | { type: 'interaction'; ref?: string; interaction: WireInteraction }
  | { type: 'session_stop'; ref?: string; session: string; reason?: string }
  | { type: 'ping'; ref?: string };

export type WireFrameType = WireClientFrame['type'];

export type WireServerFrame =
  | {
      type: 'ack';
      ref?: string;
      frame: WireFrameType | null;
      id: string | null;
      status: WireStatus;
      reason?: string;
    }
  | {
      type: 'slow_down';
      ref?: string;
      frame: WireFrameType | null;
      id: string | null;
      retryAfterMs: number;
    }
  | { type: 'pong'; ref?: string };
