import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { INDICATOR_CODE_PATTERN } from './evidence.dto';

/** The text fields of a new piece of evidence, read from the multipart body. */
export interface EvidenceUploadFields {
  title: string;
  indicatorCodes: string[];
  description: string | null;
}

/** The most indicators one piece of evidence may name. */
export const MAX_INDICATOR_CODES = 100;

export const EVIDENCE_UPLOAD_FIELD_NAMES = ['title', 'indicatorCodes', 'description'] as const;

const FILE_PART: SchemaObject = {
  type: 'string',
  format: 'binary',
  description:
    'The file, streamed. PDF, PNG, JPEG, GIF, WebP, docx/xlsx/pptx, OpenDocument, CSV or UTF-8 text, MP4; ' +
    'the type is taken from the content and must agree with the name’s extension. At most EVIDENCE_MAX_BYTES.',
};

/** OpenAPI body of `POST /cases/:id/evidence`; the text fields come before the file. */
export const EVIDENCE_UPLOAD_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['title', 'indicatorCodes', 'file'],
  description:
    'Send the text fields before `file`: they are then checked before any byte is stored. Fields sent ' +
    'after the file are accepted too, and the stored file is discarded if they are refused.',
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    indicatorCodes: {
      type: 'array',
      items: { type: 'string', example: '2.1.3', pattern: INDICATOR_CODE_PATTERN.source, maxLength: 50 },
      minItems: 1,
      maxItems: MAX_INDICATOR_CODES,
      description: 'Indicators of the case’s edition; repeat the field or separate codes with commas',
    },
    description: { type: 'string', maxLength: 2000 },
    file: FILE_PART,
  },
};

/** OpenAPI body of `POST /evidence/:evidenceId/versions`. */
export const EVIDENCE_VERSION_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['file'],
  properties: { file: FILE_PART },
};
