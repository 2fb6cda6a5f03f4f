/** A message as the customer sees it (the API's customer projection). */
export interface ChatMessage {
  id: string;
  conversationId: string;
  role: 'customer' | 'bot' | 'agent' | 'system';
  content: string;
  lang: string | null;
  replyTo: string | null;
  channelMessageId?: string | null;
  citations: { articleId: string; title: string }[];
  decision: string | null;
  /** A survey question asked after the conversation was resolved. */
  survey?: { kind: 'csat' | 'nps' | 'ces'; min: number; max: number } | null;
  /** The agent who wrote it (their name only), for agents' replies. */
  author?: { name: string } | null;
  createdAt: string;
}

export interface Session {
  token: string;
  conversationId: string;
  expiresAt: string;
  identified: boolean;
  /** The site's user the session was made for; another user on this browser starts over. */
  userId?: string;
  lastEventId?: string;
}

export interface UserIdentity {
  id: string;
  hash: string;
  name?: string;
}

export type ConversationStatus = 'bot' | 'waiting_human' | 'assigned' | 'resolved' | 'closed';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** The few calls the widget makes, each with the visitor's token. */
export function chatApi(base: string) {
  async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { type?: string; detail?: string };
      throw new ApiError(response.status, problem.type ?? '', problem.detail ?? response.statusText);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return {
    startSession: (locale: string, user?: UserIdentity) =>
      call<Omit<Session, 'userId'>>('POST', '/v1/widget/sessions', undefined, { locale, ...(user ? { user } : {}) }),
    history: (token: string) =>
      call<{ conversations: { conversation: { id: string; status: ConversationStatus }; messages: ChatMessage[] }[] }>(
        'GET',
        '/v1/widget/conversations',
        token,
      ),
    send: (token: string, conversationId: string, body: { text: string; channelMessageId: string; intent?: 'human' }) =>
      call<{ message: ChatMessage; reply: ChatMessage | null }>(
        'POST',
        `/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        token,
        body,
      ),
    rate: (token: string, messageId: string, helpful: boolean) =>
      call<unknown>('POST', `/v1/messages/${encodeURIComponent(messageId)}/feedback`, token, { helpful }),
    answerSurvey: (token: string, conversationId: string, body: { kind: string; score: number; comment?: string }) =>
      call<{ next: string | null }>(
        'POST',
        `/v1/conversations/${encodeURIComponent(conversationId)}/surveys`,
        token,
        body,
      ),
    typing: (token: string, conversationId: string) =>
      call<void>('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/typing`, token),
    feedUrl: (conversationId: string) => `${base}/v1/conversations/${encodeURIComponent(conversationId)}/feed`,
  };
}

export type ChatApi = ReturnType<typeof chatApi>;

const key = (base: string) => `sanad:session:${base}`;

/** The visitor's session survives reloads in this browser, until it expires. */
export const sessionStore = {
  load(base: string): Session | undefined {
    try {
      const session = JSON.parse(localStorage.getItem(key(base)) ?? 'null') as Session | null;
      return session && Date.parse(session.expiresAt) > Date.now() ? session : undefined;
    } catch {
      return undefined;
    }
  },
  save(base: string, session: Session | undefined) {
    try {
      if (session) localStorage.setItem(key(base), JSON.stringify(session));
      else localStorage.removeItem(key(base));
    } catch {
      // Storage blocked (private mode, a sandboxed frame): the chat still works for this page view.
    }
  },
};
