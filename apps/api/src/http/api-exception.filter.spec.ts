import { Controller, Get, Header, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DomainError, ErrorCode } from '@app/common';
import request from 'supertest';
import { ApiExceptionFilter } from './api-exception.filter';
import { requestIdMiddleware } from './request-id';

class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.TooManyRequests, 'Too many requests; try again later');
  }
}

// Routes shaped like the registry page and CSV routes (headers set before the handler runs), failing
// the way a rate limit or a bug would.
@Controller()
class FailingRoutesController {
  @Get('registry')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  limited(): string {
    throw new RateLimitedError(17);
  }

  @Get('registry/:certificateNumber')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  broken(): string {
    throw new Error('<script>alert(1)</script> secret internals');
  }

  @Get('api/v1/registry.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="registry.csv"')
  csv(): string {
    throw new RateLimitedError(5);
  }
}

describe(ApiExceptionFilter.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [FailingRoutesController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use(requestIdMiddleware);
    app.useGlobalFilters(new ApiExceptionFilter());
    await app.init();
  });

  afterAll(() => app.close());

  describe('catch', () => {
    it('answers a 429 on a registry page as a localized HTML page with Retry-After, not cacheable', async () => {
      const response = await request(app.getHttpServer()).get('/registry?lang=fr').expect(429);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['retry-after']).toBe('17');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.text).toContain('<html lang="fr">');
      expect(response.text).toContain('Trop de requêtes');
      expect(response.text).toContain('href="/registry?lang=fr"');
    });

    it('answers a 500 on a verification page as an HTML page that says nothing of the failure', async () => {
      const response = await request(app.getHttpServer())
        .get('/registry/CPC-2026-0001')
        .set('Accept-Language', 'es')
        .expect(500);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('<html lang="es">');
      expect(response.text).not.toContain('<script>');
      expect(response.text).not.toContain('secret internals');
    });

    it('answers an error of the CSV route as JSON without the attachment header', async () => {
      const response = await request(app.getHttpServer()).get('/api/v1/registry.csv').expect(429);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(response.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
    });

    it('answers an unknown route under /registry/ as the HTML 404 page without echoing the path', async () => {
      const response = await request(app.getHttpServer()).get('/registry/a/%3Cb%3E').expect(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).not.toContain('<b>');
      expect(response.text).not.toContain('%3Cb%3E');
    });
  });
});
