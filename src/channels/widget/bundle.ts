import { scriptBundle } from '../../platform/http/script-bundle.js';
import { projectPath } from '../../platform/paths.js';

export type { Bundle } from '../../platform/http/script-bundle.js';

/** The widget's script, bundled from src/widget on first request. */
export const widgetBundle = scriptBundle(projectPath('src/widget/main.ts'));
