import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

export const ApiValidationErrors = () =>
  ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED (details name each field path)',
  });

export const ApiNotFound = () =>
  ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'NOT_FOUND: missing or not visible to the caller',
  });

export const ApiVersionConflict = (...codes: string[]) =>
  ApiConflictResponse({
    type: ErrorResponseDto,
    description: (codes.length ? codes : ['STALE_VERSION']).join(', '),
  });

export const ApiBusinessErrors = (...codes: string[]) =>
  applyDecorators(ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: codes.join(', ') }));

export const ApiUnavailable = (...codes: string[]) =>
  ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: codes.join(', ') });
