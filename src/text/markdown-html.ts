import MarkdownIt from 'markdown-it';

// Used by the widget (bundled) and the help pages. Replies arrive as safe Markdown already (the server strips HTML and unsafe links); the
// renderer refuses raw HTML and unsafe links again, so the widget never trusts the network.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const SAFE_LINK = /^(https?:|mailto:|\/|#)/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  const token = tokens[i];
  if (token) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer nofollow');
  }
  return defaultLinkOpen(tokens, i, options, env, self);
};

/** HTML for a reply: only what markdown-it makes of Markdown, never HTML someone wrote. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
