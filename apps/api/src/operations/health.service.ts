import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, ErrorCode } from '@app/common';
import { EvidenceStorage } from '@app/storage';
import { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 3000;

export class ComponentStatusDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({ required: false }) message?: string;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ type: () => ComponentStatusDto }) database: ComponentStatusDto;
  @ApiProperty({ type: () => ComponentStatusDto }) storage: ComponentStatusDto;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

async function probe(check: () => Promise<unknown>, what: string): Promise<ComponentStatusDto> {
  try {
    await withTimeout(check(), what);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Readiness: the database and the evidence storage both answer. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: EvidenceStorage,
  ) {}

  async assertReady(): Promise<ReadinessDto> {
    const [database, storage] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1'), 'the database'),
      probe(() => this.storage.checkAvailable(), `the ${this.storage.driver} storage`),
    ]);
    const failed = Object.entries({ database, storage }).filter(
      ([, component]) => component.status === 'down',
    );
    if (failed.length > 0) {
      throw new DomainError(
        ErrorCode.NotReady,
        `Not ready: ${failed.map(([name]) => name).join(' and ')} unavailable`,
        failed.map(([name, component]) => ({
          field: name,
          message: component.message ?? 'down',
          component: name,
        })),
      );
    }
    return { status: 'ok', database, storage };
  }
}
