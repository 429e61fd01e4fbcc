import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalJson, sha256Hex } from '@app/common';
import { DocumentsConfig } from '@app/config';
import { JobQueue } from '@app/database';
import { EvidenceStorage } from '@app/storage';
import Handlebars from 'handlebars';
import type PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { PdfRendererUnavailableError } from './documents.errors';
import { RenderedDocumentEntity } from './entities/rendered-document.entity';
import { type PdfPageOptions, PdfRenderer } from './pdf-renderer';

export interface PdfDocumentRequest {
  /** What the document is, e.g. `certificate`; part of the cache key. */
  kind: string;
  /** A Handlebars template of a whole HTML document; values are HTML-escaped. */
  template: string;
  /** Everything the template shows, already formatted and translated (JSON-serialisable). */
  model: object;
  page?: PdfPageOptions;
}

export interface PdfDocument {
  bytes: Buffer;
  /** SHA-256 of the bytes: the storage key and a strong ETag. */
  sha256: string;
  /** True when the document was served from storage without rendering. */
  reused: boolean;
}

/** Rendered documents are kept this long; a request after that renders them again. */
const RETENTION_DAYS = 90;

/** The pg-boss queue of renders for the worker pool (`PDF_RENDERING=worker`). */
export const PDF_RENDER_QUEUE = 'render-pdf';
/** What a client waiting for a queued render that missed its deadline is told to wait. */
export const PDF_RENDER_RETRY_AFTER_SECONDS = 10;
const FIRST_POLL_MS = 25;
const LONGEST_POLL_MS = 250;

/** A render queued for the worker pool: the HTML is ready; the worker prints and stores it. */
export interface PdfRenderJob {
  inputSha256: string;
  kind: string;
  html: string;
  page?: PdfPageOptions;
}

/** The render queue missed the deadline: no worker took it, or it took longer (503 with Retry-After). */
export class PdfRenderQueueTimeoutError extends PdfRendererUnavailableError {
  readonly retryAfterSeconds = PDF_RENDER_RETRY_AFTER_SECONDS;
}

interface CompiledTemplate {
  render: Handlebars.TemplateDelegate;
  sha256: string;
}

/**
 * PDFs from Handlebars templates, kept in storage by content hash. A document is rendered once for
 * the same template and data; later requests read it back from storage.
 */
@Injectable()
export class PdfDocumentsService {
  private readonly logger = new Logger(PdfDocumentsService.name);
  private readonly templates = new Map<string, CompiledTemplate>();
  /** Renders under way by input hash: simultaneous requests for one document share one render. */
  private readonly pending = new Map<string, Promise<PdfDocument>>();

  private renderQueue: Promise<PgBoss> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: EvidenceStorage,
    private readonly renderer: PdfRenderer,
    private readonly config: DocumentsConfig,
    private readonly jobs: JobQueue,
  ) {}

  async render(request: PdfDocumentRequest): Promise<PdfDocument> {
    const template = this.compiled(request.template);
    const inputSha256 = sha256Hex(
      canonicalJson({
        kind: request.kind,
        template: template.sha256,
        page: request.page ?? {},
        model: request.model,
      }),
    );
    const underWay = this.pending.get(inputSha256);
    if (underWay) return underWay;
    const rendering = this.renderOrReuse(inputSha256, template, request).finally(() =>
      this.pending.delete(inputSha256),
    );
    this.pending.set(inputSha256, rendering);
    return rendering;
  }

  /**
   * Forgets documents rendered more than `RETENTION_DAYS` ago and removes their files once no other
   * document shares them; a later request renders again. Returns how many documents were forgotten.
   */
  async purgeOlderThanRetention(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const deleted = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(RenderedDocumentEntity)
      .where('created_at < :cutoff', { cutoff })
      .returning('content_sha256')
      .execute();
    const rows = deleted.raw as { content_sha256: string }[];
    const hashes = [...new Set(rows.map((row) => row.content_sha256))];
    for (const sha256 of hashes) {
      const isShared = await this.dataSource
        .getRepository(RenderedDocumentEntity)
        .existsBy({ contentSha256: sha256 });
      // A file that a concurrent render still refers to would be rendered again on its next read.
      if (!isShared) await this.storage.delete(storageKey(sha256));
    }
    return rows.length;
  }

  private async renderOrReuse(
    inputSha256: string,
    template: CompiledTemplate,
    request: PdfDocumentRequest,
  ): Promise<PdfDocument> {
    const repository = this.dataSource.getRepository(RenderedDocumentEntity);
    const stored = await repository.findOneBy({ inputSha256 });
    if (stored) {
      const bytes = await this.readStored(stored);
      if (bytes) return { bytes, sha256: stored.contentSha256, reused: true };
    }
    const html = template.render(request.model);
    if (this.config.rendering === 'worker') {
      return this.renderInWorkerPool({ inputSha256, kind: request.kind, html, page: request.page });
    }
    const bytes = await this.renderer.render(html, request.page);
    return { bytes, sha256: await this.store(inputSha256, request.kind, bytes), reused: false };
  }

  /**
   * The worker's side of the render queue: prints a queued render with this process's Chromium and
   * stores it by content hash, unless another render stored it meanwhile.
   */
  async renderQueued(job: PdfRenderJob): Promise<{ sha256: string; reused: boolean }> {
    const stored = await this.dataSource
      .getRepository(RenderedDocumentEntity)
      .findOneBy({ inputSha256: job.inputSha256 });
    if (stored) return { sha256: stored.contentSha256, reused: true };
    const started = Date.now();
    const bytes = await this.renderer.render(job.html, job.page);
    const sha256 = await this.store(job.inputSha256, job.kind, bytes);
    this.logger.log(`Rendered ${job.kind} ${job.inputSha256.slice(0, 16)} in ${Date.now() - started} ms`);
    return { sha256, reused: false };
  }

  /** Starts this process's handler of the render queue (the worker does): up to a page pool at once. */
  async registerRenderWorker(): Promise<void> {
    const boss = await this.renderQueueReady();
    await boss.work<PdfRenderJob>(
      PDF_RENDER_QUEUE,
      { batchSize: this.config.pagePoolSize, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        await Promise.all(
          jobs.map(async (job) => {
            try {
              await this.renderQueued(job.data);
            } catch (error) {
              await boss.fail(PDF_RENDER_QUEUE, job.id, {
                message: error instanceof Error ? error.message : String(error),
              });
            }
          }),
        );
      },
    );
  }

  /**
   * Queues the render for the worker pool and waits for its stored result, polling with back-off, up to
   * the render deadline. One job per document: simultaneous requests, on any API instance, share it.
   */
  private async renderInWorkerPool(job: PdfRenderJob): Promise<PdfDocument> {
    const deadline = Date.now() + this.config.renderTimeoutMs;
    const boss = await this.renderQueueReady();
    const jobId = await boss.send(PDF_RENDER_QUEUE, job, {
      singletonKey: job.inputSha256,
      expireInSeconds: Math.ceil(this.config.renderTimeoutMs / 1000),
    });
    const repository = this.dataSource.getRepository(RenderedDocumentEntity);
    let pause = FIRST_POLL_MS;
    for (;;) {
      const stored = await repository.findOneBy({ inputSha256: job.inputSha256 });
      const bytes = stored ? await this.readStored(stored) : undefined;
      if (stored && bytes) return { bytes, sha256: stored.contentSha256, reused: false };
      if (jobId) {
        const state = (await boss.getJobById(PDF_RENDER_QUEUE, jobId))?.state;
        if (state === 'failed' || state === 'cancelled') {
          throw new PdfRendererUnavailableError(
            'The PDF renderer is unavailable; try again later',
            new Error(`render job ${jobId} ${state}`),
          );
        }
      }
      if (Date.now() + pause > deadline) {
        throw new PdfRenderQueueTimeoutError(
          'The PDF renderer is busy or unavailable; try again later',
          new Error(
            `no worker rendered ${job.kind} ${job.inputSha256} within ${this.config.renderTimeoutMs} ms`,
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(LONGEST_POLL_MS, Math.round(pause * 1.5));
    }
  }

  /** The started job queue with the render queue created (idempotent). */
  private renderQueueReady(): Promise<PgBoss> {
    this.renderQueue ??= (async () => {
      const boss = await this.jobs.start();
      // `stately`: per document at most one render waiting and one running, whoever asks.
      const options: PgBoss.Queue = {
        name: PDF_RENDER_QUEUE,
        policy: 'stately',
        retryLimit: 1,
        retentionMinutes: 60,
      };
      await boss.createQueue(PDF_RENDER_QUEUE, options);
      await boss.updateQueue(PDF_RENDER_QUEUE, options);
      return boss;
    })().catch((error: unknown) => {
      this.renderQueue = undefined;
      throw error;
    });
    return this.renderQueue;
  }

  private async store(inputSha256: string, kind: string, bytes: Buffer): Promise<string> {
    const sha256 = sha256Hex(bytes);
    await this.storage.put(storageKey(sha256), Readable.from([bytes]), 'application/pdf');
    await this.dataSource
      .getRepository(RenderedDocumentEntity)
      .upsert({ inputSha256, kind, contentSha256: sha256, byteSize: bytes.length }, ['inputSha256']);
    return sha256;
  }

  /** The stored bytes, or undefined when they are gone or damaged (then the document is rendered again). */
  private async readStored(stored: RenderedDocumentEntity): Promise<Buffer | undefined> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.storage.get(storageKey(stored.contentSha256))) {
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      const bytes = Buffer.concat(chunks);
      if (sha256Hex(bytes) === stored.contentSha256) return bytes;
      this.logger.warn(
        { key: storageKey(stored.contentSha256) },
        'A stored document is damaged; rendering again',
      );
    } catch (error) {
      this.logger.warn(
        { err: error, key: storageKey(stored.contentSha256) },
        'A stored document cannot be read; rendering again',
      );
    }
    return undefined;
  }

  private compiled(source: string): CompiledTemplate {
    let template = this.templates.get(source);
    if (!template) {
      template = { render: Handlebars.compile(source, { strict: true }), sha256: sha256Hex(source) };
      this.templates.set(source, template);
    }
    return template;
  }
}

function storageKey(sha256: string): string {
  return `documents/${sha256}`;
}
