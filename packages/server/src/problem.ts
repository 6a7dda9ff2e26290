/**
 * RFC 9457 problem details. Every error an edgeformers worker returns has this shape,
 * served as `application/problem+json`, so clients can branch on `type` and `field`.
 */
export interface ProblemDetails {
  /** A URI reference naming the problem kind; we use stable `urn:edgeformers:problem:*` names. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request field at fault, as a dotted path (`inputs.3`, `parameters.top_k`). */
  field?: string;
  /** The request id, so a client report can be matched with the worker's logs. */
  instance?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemType(slug: string): string {
  return `urn:edgeformers:problem:${slug}`;
}

export interface ProblemInit {
  status: number;
  /** Short machine-readable slug, e.g. `invalid-json`; becomes `urn:edgeformers:problem:<slug>`. */
  slug: string;
  detail?: string;
  field?: string;
  title?: string;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

/** Throw this from a handler or middleware; the shared error handler turns it into problem+json. */
export class ProblemError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly field: string | undefined;
  readonly title: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? TITLES[init.status] ?? "Error");
    this.name = "ProblemError";
    this.status = init.status;
    this.slug = init.slug;
    this.field = init.field;
    this.title = init.title ?? TITLES[init.status] ?? "Error";
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  toDetails(instance?: string): ProblemDetails {
    const details: ProblemDetails = {
      ...this.extensions,
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      detail: this.message,
    };
    if (this.field !== undefined) details.field = this.field;
    if (instance !== undefined) details.instance = instance;
    return details;
  }
}

export function problemResponse(problem: ProblemError, instance?: string): Response {
  const headers = new Headers(problem.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  return new Response(JSON.stringify(problem.toDetails(instance)), { status: problem.status, headers });
}
