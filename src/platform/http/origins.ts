import type { Config } from '../config.js';

/**
 * The web origins a customer's browser may call from: the sites allowed to embed the widget
 * (WIDGET_ALLOWED_ORIGINS), this service's own pages (its public URL, or the origin the request
 * came to), and CORS_ORIGINS. A request without an Origin header is no browser's cross-site
 * call, so it is not judged here.
 */
export function originAllowed(config: Config, requestUrl: string, origin: string | undefined): boolean {
  if (!origin) return true;
  if (config.WIDGET_ALLOWED_ORIGINS.includes('*') || config.CORS_ORIGINS.includes('*')) return true;
  const own = [new URL(requestUrl).origin, config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined];
  return own.includes(origin) || config.WIDGET_ALLOWED_ORIGINS.includes(origin) || config.CORS_ORIGINS.includes(origin);
}

/** For the CORS middleware: the origin echoed back when it may call, else none. */
export function corsOrigin(config: Config) {
  return (origin: string) =>
    config.CORS_ORIGINS.includes(origin) ||
    config.WIDGET_ALLOWED_ORIGINS.includes(origin) ||
    config.CORS_ORIGINS.includes('*') ||
    config.WIDGET_ALLOWED_ORIGINS.includes('*')
      ? origin
      : null;
}
