export {
  createServiceApp,
  type ServerBindings,
  type ServerEnv,
  type ServerVariables,
  type ServiceApp,
  type ServiceInfo,
} from "./app.js";
export { bearerAuth, parseApiKeys } from "./auth.js";
export { bodyLimit, DEFAULT_MAX_BODY_BYTES, fieldPath, readJson, readValidJson } from "./body.js";
export { methodNotAllowedResponse, problemErrorHandler, problemNotFound } from "./errors.js";
export {
  checkInputs,
  checkModelLimits,
  checkTokens,
  DEFAULT_LIMITS,
  type LimitBindings,
  type RequestLimits,
  readLimits,
} from "./limits.js";
export { Metrics } from "./metrics.js";
export { ModelCache, modelMemoryBudget } from "./model-cache.js";
export {
  type ModelConfig,
  ModelConfigSchema,
  type ModelEntry,
  ModelEntrySchema,
  parseModelConfig,
  type ResolvedModel,
  resolveModel,
  resolveModelForTask,
} from "./models.js";
export { ApiDocs, docsPage, type RouteDoc } from "./openapi.js";
export {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  ProblemError,
  type ProblemInit,
  problemResponse,
  problemType,
} from "./problem.js";
export { enforceRateLimit, type RateLimiter, rateLimitKey } from "./rate-limit.js";
export { SingleFlight } from "./single-flight.js";
