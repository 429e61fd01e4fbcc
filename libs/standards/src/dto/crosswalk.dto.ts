import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAPPING_KINDS, type MappingKind } from '../crosswalks/crosswalk';
import { EDITION_STATUSES, type EditionStatus } from '../entities/standards-edition.entity';

export class CrosswalkSummaryDto {
  @ApiProperty({ example: 'cps-2016-to-cps-2022-v3' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: EDITION_STATUSES }) status: EditionStatus;
  @ApiProperty({ example: 'cps-2016', description: 'The edition the mappings start from' }) from: string;
  @ApiProperty({
    example: 'cps-2022-v3',
    description: 'The edition the mappings lead to, or `ussepm` (Universal Standards codes)',
  })
  to: string;
  @ApiProperty() mappingCount: number;
  @ApiProperty({ description: "SHA-256 of the document's canonical JSON" }) documentSha256: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt: string | null;
  @ApiProperty() version: number;
}

export class CrosswalkMappingDto {
  @ApiProperty({ example: '2.1.1' }) from: string;
  @ApiProperty({ example: '4A.1.1' }) to: string;
  @ApiProperty({
    enum: MAPPING_KINDS,
    description:
      'equivalent: the same requirement; broader: the from item asks more than (covers) the to item; narrower: it covers only part of the to item; partial: they overlap',
  })
  kind: MappingKind;
  @ApiPropertyOptional() note?: string;
}

export class CrosswalkDto extends CrosswalkSummaryDto {
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: () => CrosswalkMappingDto, isArray: true }) mappings: CrosswalkMappingDto[];
}
