import { Problem } from '../platform/http/problem.js';

// A lone surrogate cannot be encoded as UTF-8: it is what invalid UTF-8 input becomes.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A customer message must have text, fit the configured size and be valid Unicode. */
export function validateMessageText(text: string, maxChars: number): string {
  if (LONE_SURROGATE.test(text) || text.includes('\uFFFD')) {
    throw new Problem(
      400,
      'invalid-text',
      'The message is not valid UTF-8 text',
      'Send the message as UTF-8 encoded text.',
    );
  }
  const content = text.replaceAll('\u0000', '').trim();
  if (!content) throw new Problem(400, 'empty-message', 'The message is empty', 'Send a message with some text in it.');
  if ([...content].length > maxChars) {
    throw new Problem(
      413,
      'message-too-long',
      'The message is too long',
      `Send at most ${maxChars} characters (MESSAGE_MAX_CHARS).`,
    );
  }
  return content;
}
