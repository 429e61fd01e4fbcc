import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, type OrganizationKind, ROLES, type Role } from '@app/common';

export class OrganizationSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  kind: OrganizationKind;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: () => OrganizationSummaryDto })
  organization: OrganizationSummaryDto;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles: Role[];
}
