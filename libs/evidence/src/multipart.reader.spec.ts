import { PassThrough, type Readable } from 'node:stream';
import { ErrorCode } from '@app/common';
import { type MultipartFields, readMultipart, type UploadSource } from './multipart.reader';

const BOUNDARY = 'spec-boundary';

function sourceOf(
  body: string | Buffer,
  contentType = `multipart/form-data; boundary=${BOUNDARY}`,
): UploadSource {
  const source = new PassThrough() as PassThrough & UploadSource;
  source.headers = { 'content-type': contentType };
  source.end(body);
  return source;
}

const field = (name: string, value: string): string =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const file = (name: string, content: string): string =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`;
const END = `--${BOUNDARY}--\r\n`;

async function text(stream: Readable): Promise<string> {
  let result = '';
  for await (const chunk of stream) result += String(chunk);
  return result;
}

function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
}

describe(readMultipart.name, () => {
  const options = (seen: MultipartFields[] = []) => ({
    fieldNames: ['title', 'indicatorCodes'],
    fileField: 'file',
    onFile: async (part: { stream: Readable }, fieldsBefore: MultipartFields) => {
      seen.push(fieldsBefore);
      return text(part.stream);
    },
  });

  it('hands the file over as a stream with the fields sent before it, and collects the rest', async () => {
    const seen: MultipartFields[] = [];
    const result = await readMultipart(
      sourceOf(
        field('title', 'T') +
          file('file', 'hello') +
          field('indicatorCodes', '1.1.1') +
          field('indicatorCodes', '1.1.2') +
          END,
      ),
      options(seen),
    );
    expect(result.file).toBe('hello');
    expect([...seen[0].entries()]).toEqual([['title', ['T']]]);
    expect([...result.fields.entries()]).toEqual([
      ['title', ['T']],
      ['indicatorCodes', ['1.1.1', '1.1.2']],
    ]);
  });

  it('refuses a body that is not multipart, a missing file, an unknown field and a cut-short body', async () => {
    expect(await codeOf(readMultipart(sourceOf('{}', 'application/json'), options()))).toBe(
      ErrorCode.MalformedMultipart,
    );
    expect(await codeOf(readMultipart(sourceOf(field('title', 'T') + END), options()))).toBe(
      ErrorCode.ValidationFailed,
    );
    expect(
      await codeOf(readMultipart(sourceOf(field('owner', 'x') + file('file', 'a') + END), options())),
    ).toBe(ErrorCode.ValidationFailed);
    expect(await codeOf(readMultipart(sourceOf(field('title', 'T') + file('file', 'abc')), options()))).toBe(
      ErrorCode.MalformedMultipart,
    );
  });

  it('rejects only after the file consumer has settled, so that it can clean up', async () => {
    const events: string[] = [];
    const failure = readMultipart(sourceOf(file('file', 'abc') + field('owner', 'x') + END), {
      ...options(),
      onFile: async (part) => {
        // Like a storage that is still finishing (or cleaning up) when the body turns out bad.
        const content = await text(part.stream).catch(() => '');
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push('settled');
        return content;
      },
    }).catch((error: { code?: string }) => events.push(`rejected ${error.code}`));
    await failure;
    expect(events).toEqual(['settled', `rejected ${ErrorCode.ValidationFailed}`]);
  });
});
