// One HTTP call to daarion-auth: JSON in and out, the session token as
// "Authorization: Bearer", a time limit, and every failure turned into an
// AuthApiError that carries the contract's code.

import { AuthApiError, type AuthErrorCode, isSessionEndingCode, type SessionEndingCode } from "./authApiError.js";
import { ShapeError } from "./decode.js";
import { type ApiErrorCode, isApiErrorCode } from "./errorCodes.js";
import type { TokenLock } from "../store/tokenLock.js";

/** Where the session token comes from and who hears that the service refused it. */
export interface TokenSource {
  /** The token to send now, or null when signed out. */
  currentToken(): string | null;
  /** The service answered invalid_session or token_reused to `token`: that session is over. */
  sessionEnded(token: string, code: SessionEndingCode): void;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * Which token a call sends: "none" never sends one (sign-up, sign-in),
 * "caller" sends the current one when there is one, { token } sends exactly
 * that one (a rotation, which already holds the token lock).
 */
export type CallerToken = "none" | "caller" | { token: string };

export interface ApiCall<T> {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  as: CallerToken;
  decode: (json: unknown) => T;
  signal?: AbortSignal;
}

export interface AuthHttpOptions {
  /** The service's address, e.g. "http://localhost:7011"; "" for the page's own origin. */
  baseUrl: string;
  tokens?: TokenSource;
  /** Keeps requests apart from rotations; see tokenLock.ts. */
  lock?: TokenLock;
  fetch?: typeof fetch;
  /** Per call; default 15 s. */
  timeoutMs?: number;
  /** Default "omit": the package authenticates with the bearer token, never with the cookie. */
  credentials?: RequestCredentials;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class AuthHttp {
  readonly baseUrl: string;
  private readonly options: AuthHttpOptions;

  constructor(options: AuthHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.options = options;
  }

  async call<T>(call: ApiCall<T>): Promise<T> {
    const { lock, tokens } = this.options;
    if (call.as === "caller" && tokens) {
      const send = () => this.send(call, tokens.currentToken());
      return lock ? lock.shared(send) : send();
    }
    const token = typeof call.as === "object" ? call.as.token : null;
    return this.send(call, token);
  }

  private async send<T>(call: ApiCall<T>, token: string | null): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    // A JSON content type on every state-changing call, also an empty one: the
    // service refuses cookie-authenticated ones without it (csrf_refused).
    if (call.method !== "GET") headers["Content-Type"] = "application/json";
    if (token) headers["Authorization"] = `Bearer ${token}`;

    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const onCallerAbort = () => deadline.abort();
    if (call.signal?.aborted) onCallerAbort();
    call.signal?.addEventListener("abort", onCallerAbort, { once: true });

    try {
      let response: Response;
      try {
        response = await (this.options.fetch ?? fetch)(this.url(call), {
          method: call.method,
          headers,
          body: call.body === undefined ? null : JSON.stringify(call.body),
          credentials: this.options.credentials ?? "omit",
          signal: deadline.signal,
          cache: "no-store",
        });
      } catch (error) {
        throw this.transportError(call, error, deadline.signal.aborted);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw this.transportError(call, error, deadline.signal.aborted);
      }
      if (!response.ok) throw this.refusal(response, text, token);
      let body: unknown = null;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw new AuthApiError({ code: "bad_response", status: response.status, cause: error });
        }
      }
      try {
        return call.decode(body);
      } catch (error) {
        if (error instanceof ShapeError) {
          throw new AuthApiError({ code: "bad_response", status: response.status, message: error.message, cause: error });
        }
        throw error;
      }
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  private url(call: ApiCall<unknown>): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const search = query.toString();
    return `${this.baseUrl}${call.path}${search ? `?${search}` : ""}`;
  }

  private transportError(call: ApiCall<unknown>, error: unknown, aborted: boolean): Error {
    if (call.signal?.aborted) return call.signal.reason instanceof Error ? call.signal.reason : abortError();
    return new AuthApiError({ code: aborted ? "timeout" : "network_error", status: 0, cause: error });
  }

  // The service's {"error": code, "message": text}; anything else still gets
  // a code from its status, so callers can always branch on `code`.
  private refusal(response: Response, text: string, token: string | null): AuthApiError {
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      // not JSON: a proxy's page, say
    }
    const sent = typeof body["error"] === "string" ? body["error"] : undefined;
    const code: AuthErrorCode = isApiErrorCode(sent) ? sent : codeForStatus(response.status);
    const { error: _code, message, ...details } = body;
    const retryAfter = Number(response.headers.get("Retry-After"));
    if (token && isSessionEndingCode(code)) this.options.tokens?.sessionEnded(token, code);
    return new AuthApiError({
      code,
      status: response.status,
      ...(typeof message === "string" && message.length > 0 ? { message } : {}),
      ...(sent !== undefined ? { serverCode: sent } : {}),
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has("Retry-After")
        ? { retryAfterSeconds: retryAfter }
        : {}),
      details,
    });
  }
}

// For an answer without a code this client knows (a newer service, a proxy).
function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 429: return "rate_limited";
    case 502: case 503: case 504: return "unavailable";
    default: return status >= 500 ? "internal_error" : "invalid_request";
  }
}

function abortError(): Error {
  return typeof DOMException === "function"
    ? new DOMException("The operation was aborted.", "AbortError")
    : Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
}
