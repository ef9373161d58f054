/**
 * The route wrapper's types: a route declares, per HTTP method, a MethodSpec (auth, body and
 * query schemas, a summary for the OpenAPI document, the handler); the wrapper turns it into
 * web-standard handlers (`Request -> Response`).
 */
import type { Schema } from "./validate.js";
import type { Services } from "../services.js";
import type { AuthKind, Principal } from "./auth.js";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** What the platform gives a handler besides the request. */
export interface PlatformContext {
  /** Netlify's context.waitUntil, the dev server's tracker. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** The client address the platform saw (Netlify `context.ip`, the dev server's socket). */
  ip?: string;
}

export interface RouteContext<B, Q> {
  request: Request;
  url: URL;
  body: B;
  query: Q;
  /** The raw body text (for signature checks); "" when the method has no body. */
  rawBody: string;
  requestId: string;
  /** The client address as the platform reports it (never a header the client chose). */
  ip: string;
  /** Who the `auth` step admitted; null without `auth` or for an anonymous optional-auth call. */
  auth: Principal | null;
  services: Services;
  /** Runs work after the response is sent; it must handle its own failures. */
  waitUntil(promise: Promise<unknown>): void;
}

/** One documented response of a method (OpenAPI): its description and, when cheap, its schema. */
export interface ResponseDoc {
  description: string;
  schema?: Schema;
}

export interface MethodSpec<B = undefined, Q = Record<string, string>> {
  /** One line for the OpenAPI document. */
  summary?: string;
  /**
   * Who may call: checked before the body is read (401/503 otherwise, see lib/route/auth.ts).
   * With `optionalAuth`, a request that carries no credentials at all runs anonymously
   * (`ctx.auth` null); one that carries any must pass.
   */
  auth?: AuthKind;
  optionalAuth?: boolean;
  /** JSON body schema; requires `Content-Type: application/json`. */
  body?: Schema<B>;
  /** The body documented in OpenAPI when `body` cannot say it (a shape that depends on `auth`). */
  bodyDoc?: Schema;
  /** Read the body as raw text without parsing (webhooks verify signatures first). */
  rawBody?: boolean;
  query?: Schema<Q>;
  maxBodyBytes?: number;
  /** Documented responses by status (OpenAPI only; the error shape is added for 4xx/5xx). */
  responses?: Record<number, ResponseDoc>;
  handler(ctx: RouteContext<B, Q>): Promise<Response | unknown> | Response | unknown;
}

export type Handler = (request: Request, platform?: PlatformContext) => Promise<Response>;
export type RouteHandlers = Record<Method | "OPTIONS", Handler>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = MethodSpec<any, any>;
export type RouteSpecs = Partial<Record<Method, AnySpec>>;

/** A route's declaration, kept for the OpenAPI document (lib/route/definition.ts). */
export interface RouteDefinition {
  name: string;
  specs: RouteSpecs;
}
