import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { projectPath } from '../platform/paths.js';
import type { Lang } from '../text/language.js';

const PROMPTS_DIR = projectPath('prompts');

export const ANSWER_PROMPT_VERSION = 'answer/v1';

const cache = new Map<string, ChatPromptTemplate>();

/**
 * Prompts are versioned files (`prompts/<name>/<version>.<lang>.md`): the system part, a
 * `---user---` line, then the user template. Instructions are written in the customer's
 * language, which keeps the model answering in it.
 */
export function loadPrompt(name: string, lang: Lang): ChatPromptTemplate {
  const key = `${name}.${lang}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const text = readFileSync(join(PROMPTS_DIR, `${name}.${lang}.md`), 'utf8');
  const [system, user] = text.split(/^---user---$/m);
  if (!system || !user) throw new Error(`prompts/${name}.${lang}.md needs a ---user--- line`);
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', system.trim()],
    ['human', user.trim()],
  ]);
  cache.set(key, prompt);
  return prompt;
}
