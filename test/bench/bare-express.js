'use strict';
// The machine's own floor for the registry bench: a bare Express 5 app (the HTTP framework under the
// API, no Nest, no middleware, no database) answering GET /health/live as the API does. The registry
// bench loads it with the same generator as the API, so its p99 shows what this machine gives any
// Node server at 50 concurrent, beside the goal's absolute 50 ms.
// Express as the API loads it: the copy @nestjs/platform-express depends on.
const express = require(require.resolve('express', { paths: [require.resolve('@nestjs/platform-express')] }));

const app = express();
app.get('/health/live', (_request, response) => {
  response.json({ status: 'ok' });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare Express on port ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
