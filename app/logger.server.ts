import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * Field names whose values are secrets or a customer's personal data. Any field with one of these
 * names is replaced by "[redacted]", at the top level and up to three levels down, so a payload
 * logged by mistake still leaks nothing.
 */
export const REDACTED_FIELDS = [
  // secrets
  "apiKey", "api_key", "accessToken", "access_token", "refreshToken", "secret", "webhookSecret",
  "password", "authorization", "Authorization", "cookie", "idToken", "id_token", "token",
  "slackWebhookUrl", "signature", "x-oscar-signature", "x-shopify-hmac-sha256",
  // customers' personal data
  // ("name" and "message" are left alone: pino and errors use them; whole contact/customer objects go instead.)
  "email", "phone", "displayName", "customerName", "firstName", "lastName", "first_name", "last_name",
  "address", "address1", "address2", "customer", "contact", "content", "last_message", "note", "body",
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of REDACTED_FIELDS) {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const dot = key.startsWith("[") ? "" : ".";
    paths.push(key, `*${dot}${key}`, `*.*${dot}${key}`, `*.*.*${dot}${key}`);
  }
  return paths;
}

export function createLogger(options: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const opts: LoggerOptions = {
    name: options.name ?? "oscar-chat",
    level: options.level ?? "info",
    redact: { paths: redactPaths(), censor: "[redacted]" },
    // Error messages may quote a URL with a key or an email: keep the class and stack, scrub the rest.
    serializers: { err: pino.stdSerializers.err },
    base: { pid: process.pid },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
