import { loadConfig } from '../platform/config.js';

/**
 * The local embedder and the local answerer whatever the environment says: the bench measures
 * this service, not a remote model.
 */
export function benchConfig() {
  return loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    EMBEDDER: 'local',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
  });
}
