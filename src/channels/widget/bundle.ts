import { fileURLToPath } from 'node:url';
import { scriptBundle } from '../../platform/http/script-bundle.js';

export type { Bundle } from '../../platform/http/script-bundle.js';

/** The widget's script, bundled from src/widget on first request. */
export const widgetBundle = scriptBundle(fileURLToPath(new URL('../../widget/main.ts', import.meta.url)));
