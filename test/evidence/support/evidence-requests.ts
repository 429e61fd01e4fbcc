import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import type { ApiClient, Session } from '../../support/api-client';

export interface UploadInput {
  file: Buffer;
  fileName: string;
  contentType?: string;
  title?: string;
  indicatorCodes?: string[];
  description?: string;
}

/** POST /cases/:id/evidence with the text fields first, then the file (as the API asks). */
export function uploadEvidence(
  client: ApiClient,
  session: Session,
  caseId: string,
  input: UploadInput,
): request.Test {
  const test = client.post(`/api/v1/cases/${caseId}/evidence`, session);
  if (input.title !== undefined) test.field('title', input.title);
  for (const code of input.indicatorCodes ?? []) test.field('indicatorCodes', code);
  if (input.description !== undefined) test.field('description', input.description);
  return test.attach('file', input.file, {
    filename: input.fileName,
    contentType: input.contentType ?? 'application/octet-stream',
  });
}

export function uploadVersion(
  client: ApiClient,
  session: Session,
  evidenceId: string,
  file: Buffer,
  fileName: string,
): request.Test {
  return client
    .post(`/api/v1/evidence/${evidenceId}/versions`, session)
    .attach('file', file, { filename: fileName, contentType: 'application/octet-stream' });
}

/** Collects any response body as a Buffer, whatever its content type. */
export function binaryParser(
  response: request.Response,
  callback: (error: Error | null, body: Buffer) => void,
): void {
  // In Node, superagent hands the parser the raw IncomingMessage.
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

export function download(client: ApiClient, session: Session, path: string): request.Test {
  return client.get(path, session).buffer(true).parse(binaryParser);
}

/** Every file under a folder, recursively (temporary files included); [] when it does not exist. */
export function filesUnder(directory: string): string[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(directory, entry))
    .filter((path) => statSync(path).isFile());
}
