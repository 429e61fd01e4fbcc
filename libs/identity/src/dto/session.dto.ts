import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ format: 'uuid', description: 'The session id, the `sid` claim of its access tokens' })
  id: string;

  @ApiProperty({ format: 'date-time', description: 'When the login happened' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', description: 'The login or the last refresh' })
  lastUsedAt: string;

  @ApiProperty({ type: String, nullable: true, description: 'The User-Agent header of the login' })
  userAgent: string | null;

  @ApiProperty({ description: 'True for the session of the access token of this request' })
  current: boolean;
}
