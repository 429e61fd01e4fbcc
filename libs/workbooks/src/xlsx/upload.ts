import { readMultipart, type UploadSource } from '@app/evidence';
import { WorkbookTooLargeError } from '../workbooks.errors';
import { WORKBOOK_LIMITS } from './zip-inspector';

/** The one `file` part of a multipart upload, in memory, refused (413) past the size limit while it streams in. */
export async function readWorkbookUpload(
  source: UploadSource,
  maxBytes = WORKBOOK_LIMITS.maxFileBytes,
): Promise<Buffer> {
  const { file } = await readMultipart(source, {
    fieldNames: [],
    fileField: 'file',
    onFile: async ({ stream }) => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw new WorkbookTooLargeError(`the file is over ${maxBytes} bytes`, maxBytes);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
  });
  return file;
}
