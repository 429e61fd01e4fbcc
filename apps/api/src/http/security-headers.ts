import { REGISTRY_PAGE_STYLE_SOURCE } from '@app/certificates';
import { FIELD_PAGE_STYLE_SOURCE } from '@app/field';
import type { HttpConfig } from '@app/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { isHtmlPagePath } from './html-pages';

const ONE_YEAR_SECONDS = 31_536_000;
const NONE = "'none'";
const SELF = "'self'";

/** Swagger UI (`/api/docs`, its assets, and the JSON document). */
const isDocsPath = (path: string): boolean => path === '/api/docs' || path.startsWith('/api/docs');

/**
 * Security headers on every response, by helmet: nosniff, Referrer-Policy, no framing, cross-origin
 * isolation headers, HSTS when the public URL is https, and a Content-Security-Policy per kind of
 * response: the registry pages have no script and one inline style sheet allowed by its hash; Swagger
 * UI needs its own scripts and styles; the JSON API allows nothing at all.
 */
export function securityHeaders(http: HttpConfig): RequestHandler {
  const common: HelmetOptions = {
    strictTransportSecurity: http.publicBaseUrl.startsWith('https://')
      ? { maxAge: ONE_YEAR_SECONDS, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
  const csp = (directives: Record<string, string[]>): HelmetOptions['contentSecurityPolicy'] => ({
    useDefaults: false,
    directives,
  });
  const api = helmet({
    ...common,
    contentSecurityPolicy: csp({
      defaultSrc: [NONE],
      frameAncestors: [NONE],
      baseUri: [NONE],
      formAction: [NONE],
    }),
  });
  const pages = helmet({
    ...common,
    contentSecurityPolicy: csp({
      defaultSrc: [NONE],
      styleSrc: [REGISTRY_PAGE_STYLE_SOURCE, FIELD_PAGE_STYLE_SOURCE],
      frameAncestors: [NONE],
      formAction: [SELF],
      baseUri: [NONE],
    }),
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: csp({
      defaultSrc: [SELF],
      scriptSrc: [SELF],
      styleSrc: [SELF, "'unsafe-inline'"],
      imgSrc: [SELF, 'data:'],
      fontSrc: [SELF, 'data:'],
      connectSrc: [SELF],
      objectSrc: [NONE],
      frameAncestors: [NONE],
      formAction: [SELF],
      baseUri: [NONE],
    }),
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    // Anything answered to a signed-in caller stays out of every cache unless its route says otherwise.
    if (request.headers.authorization) response.setHeader('Cache-Control', 'no-store');
    if (isHtmlPagePath(request.path)) return pages(request, response, next);
    if (isDocsPath(request.path)) return docs(request, response, next);
    return api(request, response, next);
  };
}
