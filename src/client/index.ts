/**
 * `agentlog/client`: capture conversations into an agentlog server from any Node 22+ program.
 * No dependencies beyond Node's built-ins (fetch, WebSocket), and no exceptions into the host.
 */
export {
  createClient,
  type AgentlogClient,
  type CaptureInteraction,
  type CaptureMessage,
  type HttpClientOptions,
  type SessionClient,
  type WebSocketClientOptions,
} from './create-client.ts';
export type { ClientOptions, ClientWarning, ClientWarningCode } from './client-options.ts';
export type { ClientStats } from './client-core.ts';
export type { ContentBlock, MessageRole, WireInteraction, WireMessage } from './wire.ts';
