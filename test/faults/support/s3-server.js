'use strict';
// s3rver as its own process, so that a test can SIGKILL it mid-upload and start it again on the same
// port and folder. Usage: node s3-server.js <directory> <port>; prints "S3 port <port>" when it listens.
//
// s3rver 3.7 stores multipart uploads but implements neither ListMultipartUploads (GET ?uploads answers
// NotImplemented) nor AbortMultipartUpload (DELETE ?uploadId answers 405). Both are added here on its
// own store layout (<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,<part>…}), so that the product's
// abort of a failed upload and its clean-up job talk S3 to it as to AWS.
//
// SIGUSR2 toggles a fault: while on, every UploadPart answers 500 InternalError (a store that fails
// mid-upload but still answers).
const { promises: fs } = require('node:fs');
const path = require('node:path');
const S3rver = require('s3rver');

const [directory, port] = process.argv.slice(2);
let failParts = false;
process.on('SIGUSR2', () => {
  failParts = !failParts;
  console.log(`failing parts: ${failParts}`);
});

const uploadsOf = (bucket) => path.join(directory, bucket, '._S3rver_uploads');

function s3Error(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

async function multipartExtras(ctx, next) {
  const [bucket, ...keyParts] = ctx.path.split('/').filter(Boolean);
  const query = ctx.query;
  if (ctx.method === 'PUT' && 'uploadId' in query && 'partNumber' in query && failParts) {
    return s3Error(ctx, 500, 'InternalError', 'Injected fault: parts are refused');
  }
  if (ctx.method === 'GET' && bucket && keyParts.length === 0 && 'uploads' in query) {
    const uploads = [];
    for (const uploadId of await fs.readdir(uploadsOf(bucket)).catch(() => [])) {
      const folder = path.join(uploadsOf(bucket), uploadId);
      const key = await fs.readFile(path.join(folder, 'key'), 'utf8').catch(() => undefined);
      if (key === undefined) continue;
      const { mtime } = await fs.stat(folder);
      uploads.push({ Key: key, UploadId: uploadId, Initiated: mtime.toISOString() });
    }
    ctx.body = {
      ListMultipartUploadsResult: {
        Bucket: bucket,
        KeyMarker: '',
        UploadIdMarker: '',
        MaxUploads: 1000,
        IsTruncated: false,
        Upload: uploads,
      },
    };
    return;
  }
  if (ctx.method === 'DELETE' && bucket && keyParts.length > 0 && typeof query.uploadId === 'string') {
    const folder = path.join(uploadsOf(bucket), path.basename(query.uploadId));
    const key = await fs.readFile(path.join(folder, 'key'), 'utf8').catch(() => undefined);
    if (key === undefined) return s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist');
    await fs.rm(folder, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  return next();
}

const server = new S3rver({ address: '127.0.0.1', port: Number(port), silent: true, directory });
// Before s3rver's router (its last middleware), after its XML encoder.
server.middleware.splice(server.middleware.length - 1, 0, multipartExtras);
server.run().then(({ port: listening }) => console.log(`S3 port ${listening}`));
