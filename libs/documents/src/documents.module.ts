import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StorageModule } from '@app/storage';
import { RenderedDocumentEntity } from './entities/rendered-document.entity';
import { PdfDocumentsService } from './pdf-documents.service';
import { PdfRenderer } from './pdf-renderer';

/** PDF documents: Handlebars templates rendered by headless Chromium, kept in storage by content hash. */
@Module({
  imports: [TypeOrmModule.forFeature([RenderedDocumentEntity]), StorageModule],
  providers: [PdfRenderer, PdfDocumentsService],
  exports: [PdfRenderer, PdfDocumentsService],
})
export class DocumentsModule {}
