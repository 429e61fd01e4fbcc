import { negotiateLanguage, type PageLanguage } from '@app/common';
import type { Request } from 'express';

/**
 * The public HTML pages (`/registry`, `/registry/:certificateNumber` and anything under `/registry/`).
 * Their answers, errors included, are HTML pages with the pages' Content-Security-Policy; everything
 * else the API serves is JSON or a file.
 */
export function isHtmlPagePath(path: string): boolean {
  return path === '/registry' || path === '/registry/' || path.startsWith('/registry/');
}

/** The language of an HTML page for this request: `?lang=`, then Accept-Language, then English. */
export function pageLanguageOf(request: Request): PageLanguage {
  const requested = (request.query as Record<string, unknown> | undefined)?.lang;
  const header = request.headers['accept-language'];
  return negotiateLanguage(typeof requested === 'string' ? requested : undefined, header);
}
