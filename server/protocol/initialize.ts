// The initialize answer: who we are and what this agent supports.
import { PROTOCOL_VERSION, type InitializeRequest, type InitializeResponse } from '@agentclientprotocol/sdk';
import { VERSION } from '../version';

export function initializeResponse(request: InitializeRequest): InitializeResponse {
  return {
    // Answer with the client's version when we support it, else with ours.
    protocolVersion: Math.min(request.protocolVersion, PROTOCOL_VERSION),
    agentInfo: { name: 'tether', title: 'Tether', version: VERSION },
    agentCapabilities: {
      loadSession: true,
      promptCapabilities: { image: true, audio: false, embeddedContext: true },
      mcpCapabilities: { http: false, sse: false },
      sessionCapabilities: { list: {}, resume: {}, close: {} },
      // Extension: `_tether/session/attach {sessionId, afterSeq}` replays a missed tail.
      _meta: { tether: { attach: true } },
    },
    authMethods: [
      {
        id: 'openai-api-key',
        name: 'OpenAI API key',
        description: 'Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server) in the environment Tether is launched with.',
      },
    ],
  };
}
