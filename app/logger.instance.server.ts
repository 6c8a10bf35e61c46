import { config } from "./config.server";
import { createLogger } from "./logger.server";

/** The process-wide logger for the web and worker processes. Modules receive it; only setup code imports it. */
export const logger = createLogger({ level: config().logLevel });
