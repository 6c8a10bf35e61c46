/** The home page's setup steps, in order (shared by the server, which decides them, and the page). */
export const ONBOARDING_STEPS = ["connect", "widget", "theme", "webhooks", "firstConversation"] as const;
export type OnboardingStepId = (typeof ONBOARDING_STEPS)[number];
