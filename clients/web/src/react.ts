// @daarion/auth-client/react: the DAARION task's hooks, onboarding scene and
// route guard. Needs react (18 or later) and react-router (6.4 or later).

export { AuthProvider, useDaarionAuth } from "./features/auth/AuthProvider.js";
export { useAuthStore } from "./store/useAuthStore.js";
export { type PasskeyRegister, type RegisterInput, usePasskeyRegister } from "./features/auth/hooks/usePasskeyRegister.js";
export { type AutofillState, type PasskeyLogin, usePasskeyLogin } from "./features/auth/hooks/usePasskeyLogin.js";
export type { CeremonyState, CeremonyStatus } from "./features/auth/hooks/ceremonyState.js";
export { PasskeyScene, type PasskeySceneProps } from "./features/onboarding/scenes/PasskeyScene.js";
export { GUARDED_PAGES, RequireAuth, returnPath } from "./features/auth/RequireAuth.js";
