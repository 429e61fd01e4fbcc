import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ImportReportDto } from '@app/field';
import { ApiBusinessErrors, ApiValidationErrors } from './api-errors.decorator';
import { ErrorResponseDto } from './error-response.dto';

const IMPORT_FILE_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'CSV (UTF-8, header row) or .xlsx' } },
};

/**
 * The OpenAPI side of a row import (signatories, historical certificates): one multipart `file`, a dry run
 * reporting each row by line, then all rows or none.
 */
export function ApiRowImport(): MethodDecorator {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: IMPORT_FILE_SCHEMA }),
    ApiOkResponse({ type: ImportReportDto }),
    ApiValidationErrors(),
    ApiBusinessErrors('IMPORT_ROWS_INVALID: nothing was written; details name each bad line'),
    ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'PAYLOAD_TOO_LARGE' }),
    ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'UNSUPPORTED_MEDIA_TYPE' }),
  );
}
