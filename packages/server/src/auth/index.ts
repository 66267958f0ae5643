export {
  assertPasswordPolicy,
  hashPassword,
  verifyPassword,
  MIN_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
} from './password.js';
export { newOpaqueToken, hashToken } from './opaque-token.js';
export type { OpaqueTokenPrefix } from './opaque-token.js';
export { signWidgetToken, verifyWidgetToken } from './widget-token.js';
export type { WidgetTokenClaims, WidgetTokenSubject } from './widget-token.js';
export { verifyEndUserJwt } from './end-user-jwt.js';
export type { EndUserIdentity } from './end-user-jwt.js';
export { LoginRateLimiter } from './login-rate-limiter.js';
export type { LoginRateLimiterOptions } from './login-rate-limiter.js';
export { LoginRateLimitedError } from './login-rate-limited-error.js';
