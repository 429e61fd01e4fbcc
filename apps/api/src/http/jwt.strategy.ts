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
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
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
