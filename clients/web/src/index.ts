// @daarion/auth-client: the DAARION frontend's side of daarion-auth, without
// React. React hooks and components: "@daarion/auth-client/react".

export * from "./api/types.js";
export { type ApiErrorCode, API_ERROR_CODES, errorCodeMessage, errorCodeStatus, isApiErrorCode } from "./api/errorCodes.js";
export {
  AuthApiError,
  type AuthErrorCode,
  isAuthApiError,
  isSessionEndingCode,
  SESSION_ENDING_CODES,
  type SessionEndingCode,
  type TransportErrorCode,
} from "./api/authApiError.js";
export { AuthHttp, type AuthHttpOptions, type TokenSource } from "./api/http.js";
export { authenticateFinish, authenticateStart, registerFinish, registerStart } from "./api/auth/passkey.js";
export { endSession, listSessions, logout, me, refreshSession, updateMe } from "./api/auth/session.js";
export { deletePasskey, listPasskeys, passkeyList, renamePasskey } from "./api/auth/passkeys.js";
export { cancelEnrollment, listEnrollments } from "./api/auth/enrollments.js";
export { listActivity } from "./api/auth/activity.js";

export { type AuthState, type AuthStore, type AuthStoreHandle, type AuthStoreOptions, createAuthStore } from "./store/authStore.js";
export { DEFAULT_STORAGE_KEY, type SessionEndReason, type StorageLike } from "./store/persistedSession.js";
export { defaultTokenLock, inPageTokenLock, type TokenLock } from "./store/tokenLock.js";
export { type RotationOutcome, SessionKeeper, type SessionKeeperOptions } from "./session/sessionKeeper.js";
export { defaultLeadership, type KeeperLeadership, soleLeadership } from "./session/keeperLeadership.js";
export { type Clock, systemClock } from "./core/clock.js";

export {
  cancelPendingCeremony,
  type CeremonyOptions,
  createPasskey,
  getPasskey,
  isAutofillAvailable,
  webAuthnImplementation,
  type WebAuthnImplementation,
} from "./webauthn/ceremony.js";
export { classifyCeremonyError, PasskeyFailure, type PasskeyFailureKind } from "./webauthn/passkeyFailure.js";
export { signalAcceptedCredentials, signalUnknownCredential, signalUserDetails } from "./webauthn/signals.js";

export {
  type CeremonyProgress,
  createDaarionAuth,
  DaarionAuth,
  type DaarionAuthOptions,
  type RegisterStep,
  type SignInStep,
  type SignOutOutcome,
} from "./client/daarionAuth.js";
export { forgetFragment, isEnrollmentToken, readEnrollmentToken } from "./client/enrollmentLink.js";
