import { pipeline } from 'node:stream/promises';
import { Logger } from '@nestjs/common';
import type { EvidenceContent } from '@app/evidence';
import { attachmentDisposition } from '@app/storage';
import type { Response } from 'express';

const logger = new Logger('EvidenceDownload');

/**
 * Sends a version's bytes as a download (attachment, no sniffing, no caching, sandboxed if opened),
 * or a 302 to the presigned URL. A failure after the headers are out can only cut the transfer.
 */
export async function sendEvidenceContent(response: Response, content: EvidenceContent): Promise<void> {
  response.setHeader('Cache-Control', 'private, no-store');
  if (content.kind === 'redirect') {
    response.redirect(302, content.url);
    return;
  }
  const isText = content.contentType.startsWith('text/');
  response.status(200);
  response.setHeader('Content-Type', isText ? `${content.contentType}; charset=utf-8` : content.contentType);
  response.setHeader('Content-Length', String(content.size));
  response.setHeader('Content-Disposition', attachmentDisposition(content.fileName));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  response.setHeader('X-Checksum-Sha256', content.sha256);
  try {
    await pipeline(content.body, response);
  } catch (error) {
    logger.warn({ err: error }, 'An evidence download ended early');
  }
}
