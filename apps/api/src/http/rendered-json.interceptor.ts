import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { RenderedJson } from '@app/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';

type EtagGenerator = (body: string, encoding: BufferEncoding) => string | undefined;

/**
 * Sends a handler's RenderedJson as the JSON answer `res.json` would have sent for it: the same bytes,
 * the JSON media type, and Express's own entity tag, computed the first time and kept with the answer
 * (Express compares it with If-None-Match and answers 304 as for any other JSON answer).
 */
@Injectable()
export class RenderedJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof RenderedJson)) return body;
        const response = context.switchToHttp().getResponse<Response>();
        const generate = response.app.get('etag fn') as EtagGenerator | undefined;
        body.etag ??= generate?.(body.json, 'utf8');
        if (body.etag) response.setHeader('ETag', body.etag);
        response.type('application/json');
        return body.json;
      }),
    );
  }
}
