import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@app/common';

const EDITION_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** An edition slug such as `cps-2016`. */
@Injectable()
export class EditionIdPipe implements PipeTransform<string, string> {
  static readonly openApiSchema = { pattern: EDITION_ID.source, minLength: 2, maxLength: 63 };

  transform(value: string): string {
    if (!EDITION_ID.test(value)) {
      throw new ValidationError('editionId must be an edition slug such as cps-2016', [
        { field: 'editionId', message: 'must be lower-case letters, digits and dashes' },
      ]);
    }
    return value;
  }
}
