import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  organizationId: string;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** supertest bound to the app, with helpers to sign in and act as someone. */
export class ApiClient {
  readonly http: TestAgent;

  constructor(app: INestApplication) {
    this.http = request(app.getHttpServer());
  }

  async login(email: string, password: string): Promise<Session> {
    const response = await this.http.post('/api/v1/auth/login').send({ email, password });
    if (response.status !== 200)
      throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return {
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
      userId: response.body.user.id,
      organizationId: response.body.user.organization.id,
    };
  }

  /** A request signed with the session's token (none when `session` is undefined). */
  call(method: Method, path: string, session?: Session | null): request.Test {
    const test = this.http[method](path);
    return session ? test.set('Authorization', `Bearer ${session.accessToken}`) : test;
  }

  get(path: string, session?: Session | null): request.Test {
    return this.call('get', path, session);
  }

  post(path: string, session?: Session | null): request.Test {
    return this.call('post', path, session);
  }

  put(path: string, session?: Session | null): request.Test {
    return this.call('put', path, session);
  }

  patch(path: string, session?: Session | null): request.Test {
    return this.call('patch', path, session);
  }

  delete(path: string, session?: Session | null): request.Test {
    return this.call('delete', path, session);
  }
}
