import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Actor } from '@app/common';
import { AuthConfig } from '@app/config';
import { AccountService, type AccessTokenClaims } from '@app/identity';
import { ExtractJwt, Strategy } from 'passport-jwt';

/** Verifies the bearer token and loads the acting user, so that a deactivated user is refused at once. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AuthConfig,
    private readonly accounts: AccountService,
  ) {
    // The secret as a KeyObject made once: given a string, jsonwebtoken first tries to parse it as a PEM
    // public key on every request (and fails, throwing), which cost more CPU than the rest of the check.
    const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types name strings and buffers; jsonwebtoken takes a KeyObject as it is.
      secretOrKeyProvider: (_request: unknown, _token: unknown, done: (error: null, key: Buffer) => void) =>
        done(null, key as unknown as Buffer),
      algorithms: ['HS256'],
      issuer: 'cp-certification',
      audience: 'cp-certification-api',
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Actor | false> {
    if (typeof claims.sub !== 'string' || typeof claims.iat !== 'number') return false;
    return (await this.accounts.resolveActor(claims)) ?? false;
  }
}
