import type { PdfDocument } from '@app/documents';
import { attachmentDisposition } from '@app/storage';
import type { Response } from 'express';

/**
 * Sends a PDF with its content hash as a strong ETag; Express answers 304 to a matching
 * If-None-Match. Private: certificates and reports are not for shared caches.
 */
export function sendPdf(
  response: Response,
  document: PdfDocument,
  fileName: string,
  disposition: 'inline' | 'attachment',
): void {
  response.setHeader('Cache-Control', 'private, no-cache');
  response.setHeader('ETag', `"${document.sha256}"`);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader(
    'Content-Disposition',
    disposition === 'attachment' ? attachmentDisposition(fileName) : `inline; filename="${fileName}"`,
  );
  response.type('application/pdf').status(200).send(document.bytes);
}
