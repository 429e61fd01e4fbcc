import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@app/audit';
import { Permission } from '@app/identity';
import { RequirePermission } from '../http/route-access.decorator';

class ChainVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Events in the chain' }) events: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The first event whose link or hash does not match' })
  firstBrokenEventId?: string;
}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: 'Re-hash the whole audit chain and name the first broken link' })
  @ApiOkResponse({ type: ChainVerificationDto })
  verify(): Promise<ChainVerificationDto> {
    return this.audit.verifyChain();
  }
}
