import { negotiateLanguage, type PageLanguage } from '@app/common';
import type { Request } from 'express';

/** The roots of the public HTML pages: the registry, the commitments and the state of the field. */
const HTML_PAGE_ROOTS = ['/registry', '/commitments', '/benchmarks'];

/**
 * The public HTML pages (`/registry`, `/registry/:certificateNumber`, `/commitments`, `/benchmarks` and
 * anything under them).
 * Their answers, errors included, are HTML pages with the pages' Content-Security-Policy; everything
 * else the API serves is JSON or a file.
 */
export function isHtmlPagePath(path: string): boolean {
  return HTML_PAGE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));
}

/** The language of an HTML page for this request: `?lang=`, then Accept-Language, then English. */
export function pageLanguageOf(request: Request): PageLanguage {
  const requested = (request.query as Record<string, unknown> | undefined)?.lang;
  const header = request.headers['accept-language'];
  return negotiateLanguage(typeof requested === 'string' ? requested : undefined, header);
}
