import type { ConsoleStrings } from '../console/strings.js';

/** A problem the API answered with (problem+json): its kind (`already-assigned`) and detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    detail: string,
    readonly body: Record<string, unknown>,
  ) {
    super(detail);
  }
}

/** Back to the login page, coming back here afterwards. */
export function signInAgain(locale: string): never {
  const next = `${location.pathname}${location.search}`;
  location.assign(`/console/login?locale=${locale}&next=${encodeURIComponent(next)}`);
  throw new ApiError(401, 'unauthenticated', 'Signed out', {});
}

/** The JSON API as the signed-in staff member (their session cookie); a lapsed session signs in again. */
export function consoleApi(locale: string) {
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (response.status === 401 && !path.startsWith('/v1/auth/login')) signInAgain(locale);
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(json.type ?? '');
      throw new ApiError(
        response.status,
        type.slice(type.lastIndexOf('/') + 1),
        String(json.detail ?? response.statusText),
        json,
      );
    }
    return json as T;
  };
}

export type Call = ReturnType<typeof consoleApi>;

/** A row of the queue, exactly as GET /v1/queue answers (a type only: nothing of the inbox is bundled). */
export type { QueueItem } from '../../inbox/queue.js';

export interface Citation {
  articleId: string;
  title: string;
}

export interface Message {
  id: string;
  conversationId: string;
  role: 'customer' | 'bot' | 'agent' | 'system';
  content: string;
  lang: string | null;
  sentiment: { score: number; label: string } | null;
  confidence: number | null;
  citations: Citation[];
  decision: string | null;
  handoffReason: string | null;
  internal: boolean;
  author: { id: string | null; name: string } | null;
  createdAt: string;
}

export interface Conversation {
  id: string;
  channel: string;
  status: 'bot' | 'waiting_human' | 'assigned' | 'resolved' | 'closed';
  lang: string | null;
  team: string | null;
  priority: number;
  assignedTo: string | null;
}

export interface Suggestion {
  id: string;
  kind: 'knowledge' | 'llm' | 'template' | 'deescalation';
  content: string;
  lang: string;
  citations: Citation[];
}

export interface Template {
  id: string;
  shortcode: string;
  lang: string;
  title: string;
  body: string;
}

export interface ConversationContext {
  contact: { name: string | null; channel: string };
  earlier: { id: string; status: string; createdAt: string; preview: string | null }[];
  sentimentTrend: number[];
}

/** What every page's script gets: the language, its words, and the API. */
export interface ConsolePage {
  locale: 'ar' | 'en';
  t: ConsoleStrings;
  call: Call;
}
