import type { RenderedJson } from '@app/common';
import type { Response } from 'express';

type EtagGenerator = (body: string, encoding: BufferEncoding) => string | undefined;

/**
 * The body of a RenderedJson answer, for a handler that takes the response with `passthrough`: Express
 * then sends it as `res.json` would have sent the value it was rendered from (the same bytes, the JSON
 * media type), with Express's own entity tag, computed the first time and kept with the answer. Express
 * still compares it with If-None-Match and answers 304, as for any other JSON answer.
 */
export function renderedBody(response: Response, rendered: RenderedJson): string {
  const generate = response.app.get('etag fn') as EtagGenerator | undefined;
  rendered.etag ??= generate?.(rendered.json, 'utf8');
  if (rendered.etag) response.setHeader('ETag', rendered.etag);
  response.type('application/json');
  return rendered.json;
}
