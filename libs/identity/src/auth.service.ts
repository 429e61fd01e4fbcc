import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@app/common';
import { DataSource } from 'typeorm';
import type { TokenPairDto } from './dto/auth.dto';
import { UserEntity } from './entities/user.entity';
import { InvalidCredentialsError } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { type LoginClient, TokenService } from './token.service';

/** Login, refresh and logout. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: TokenService,
  ) {}

  async login(email: string, password: string, client: LoginClient): Promise<TokenPairDto> {
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
    return this.tokens.issueForLogin(user, user.organization, client);
  }

  refresh(refreshToken: string): Promise<TokenPairDto> {
    return this.tokens.rotate(refreshToken);
  }

  logout(actor: Actor, refreshToken: string): Promise<void> {
    return this.tokens.endSessionOf(actor, refreshToken);
  }
}
