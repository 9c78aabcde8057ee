// Provider-neutral conversation history. The session stores these; the loop turns them
// into model requests through a provider. No ACP types here on purpose.

export type UserPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mimeType: string; data: string }
  /** An embedded resource (file contents the user attached). */
  | { type: 'resource'; uri: string; text: string; mimeType?: string };

export interface ToolCallRequest {
  /** Provider-assigned call id; echoed back in the matching tool result. */
  id: string;
  name: string;
  /** Raw JSON text of the arguments exactly as the model produced it. */
  argumentsJson: string;
}

export type HistoryItem =
  | { type: 'user'; parts: UserPart[] }
  | {
      type: 'assistant';
      text: string;
      /** Reasoning text, if the provider streamed any. */
      thinking?: string;
      /** Opaque provider data that must be sent back verbatim (signatures, encrypted reasoning). */
      providerData?: unknown;
      toolCalls: ToolCallRequest[];
    }
  | { type: 'tool_result'; callId: string; name: string; output: string; isError: boolean };
