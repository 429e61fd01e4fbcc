import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TokenPairDto } from './auth.dto';
import { IsOptionalNotNull } from './optional-not-null.decorator';

export class MfaChallengeDto {
  @ApiProperty({ enum: [true], description: 'A second factor is due: no tokens yet' })
  mfaRequired: true;

  @ApiProperty({
    description:
      'true: the user must set up TOTP first (POST /api/v1/auth/mfa/enrol, then POST /api/v1/auth/mfa with a code)',
  })
  enrolmentRequired: boolean;

  @ApiProperty({ description: 'Short-lived; sent to POST /api/v1/auth/mfa (and /enrol)' })
  challengeToken: string;

  @ApiProperty({ description: 'Seconds until the challenge expires', example: 300 })
  expiresIn: number;
}

export class MfaChallengeRequestDto {
  @ApiProperty({ maxLength: 2048 })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  challengeToken: string;
}

export class MfaCompleteRequestDto extends MfaChallengeRequestDto {
  @ApiPropertyOptional({ example: '123456', description: 'The current TOTP code; or send recoveryCode' })
  @IsOptionalNotNull()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({
    example: 'ABCDE-FGHJK',
    description: 'A one-time recovery code instead of a TOTP code',
  })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  recoveryCode?: string;
}

export class MfaCodeRequestDto {
  @ApiProperty({ example: '123456', description: 'The current TOTP code' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class MfaEnrolmentDto {
  @ApiProperty({ description: 'The TOTP secret (Base32), for manual entry' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/CP%20Certification:rater%40example.org?secret=...' })
  otpauthUrl: string;

  @ApiProperty({ description: 'The otpauth URL as a QR code (SVG)' })
  qrSvg: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: String, isArray: true, description: 'Ten one-time recovery codes, shown once' })
  recoveryCodes: string[];
}

export class MfaTokenPairDto extends TokenPairDto {
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Only when this sign-in completed the enrolment: ten one-time recovery codes, shown once',
  })
  recoveryCodes?: string[];
}
