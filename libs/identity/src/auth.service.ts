import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@app/common';
import { DataSource } from 'typeorm';
import type { TokenPairDto } from './dto/auth.dto';
import type { MfaChallengeDto } from './dto/mfa.dto';
import { UserEntity } from './entities/user.entity';
import { InvalidCredentialsError } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { MfaChallengeService } from './mfa-challenge.service';
import { PasswordHasher } from './password-hasher';
import { type LoginClient, TokenService } from './token.service';

/** Login (with a second-factor challenge when one is due), refresh and logout. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: TokenService,
    private readonly mfa: MfaChallengeService,
  ) {}

  async login(email: string, password: string, client: LoginClient): Promise<TokenPairDto | MfaChallengeDto> {
    const clientAddress = client.address;
    const normalizedEmail = email.trim().toLowerCase();
    await this.throttle.assertAllowed(normalizedEmail, clientAddress);
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { email: normalizedEmail }, relations: { organization: true } });
    const isPasswordCorrect = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !isPasswordCorrect || !user.isActive || !user.organization) {
      await this.throttle.recordFailure(normalizedEmail, clientAddress);
      throw new InvalidCredentialsError();
    }
    await this.throttle.recordSuccess(normalizedEmail, clientAddress);
    if (this.mfa.isDue(user)) return this.mfa.issue(user);
    return this.tokens.issueForLogin(user, user.organization, client);
  }

  refresh(refreshToken: string): Promise<TokenPairDto> {
    return this.tokens.rotate(refreshToken);
  }

  logout(actor: Actor, refreshToken: string): Promise<void> {
    return this.tokens.endSessionOf(actor, refreshToken);
  }
}
