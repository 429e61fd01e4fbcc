import { dropDatabase, serverUrl } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const url = serverUrl();
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (url && template) await dropDatabase(url, template);
}
