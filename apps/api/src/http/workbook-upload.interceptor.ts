import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { sha256Hex } from '@app/common';
import { readWorkbookUpload } from '@app/workbooks';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

const uploads = new WeakMap<Request, Buffer>();

/** The workbook a multipart request carried (read by `WorkbookUploadInterceptor`), if it was one. */
export function uploadedWorkbook(request: Request): Buffer | undefined {
  return uploads.get(request);
}

/**
 * For a route that takes a JSON body or a multipart `file` workbook: a multipart body is read here (after
 * the guards, so only a caller allowed to import gets it read; 413 past the workbook size limit) and stands
 * in for the JSON body as `{ file: { sha256, bytes } }`, which is what the idempotency fingerprint hashes:
 * placed after `@Idempotent()`, so that it runs before it.
 */
@Injectable()
export class WorkbookUploadInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.is('multipart/form-data')) {
      const bytes = await readWorkbookUpload(request);
      uploads.set(request, bytes);
      request.body = { file: { sha256: sha256Hex(bytes), bytes: bytes.length } };
    }
    return next.handle();
  }
}
