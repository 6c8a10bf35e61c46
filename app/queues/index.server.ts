import { config } from "../config.server";
import { createJobProducer } from "./producer.server";
import { createProducerConnection } from "./redis.server";

declare global {
  var queueSetupGlobal: { producer: ReturnType<typeof createJobProducer>; redis: ReturnType<typeof createProducerConnection> } | undefined;
}

function setup() {
  const { redis: settings, jobRetry } = config();
  const redis = createProducerConnection(settings.url);
  // ioredis reports every failed reconnect; the health check and the 503s already say Redis is down.
  redis.on("error", () => {});
  return { redis, producer: createJobProducer({ connection: redis, prefix: settings.prefix, retry: jobRetry }) };
}

// One producer connection per web process (kept across Vite reloads in development).
const queueSetup = global.queueSetupGlobal ?? setup();
if (config().env !== "production") global.queueSetupGlobal = queueSetup;

export const producer = queueSetup.producer;
export const producerRedis = queueSetup.redis;
