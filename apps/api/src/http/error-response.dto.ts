import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiPropertyOptional({ example: 'ratings[3].rating' })
  field?: string;

  @ApiProperty()
  message: string;
}

/** The shape of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'STALE_VERSION', description: 'Stable machine-readable code' })
  code: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ type: () => ErrorDetailDto, isArray: true })
  details: ErrorDetailDto[];

  @ApiProperty()
  requestId: string;
}
