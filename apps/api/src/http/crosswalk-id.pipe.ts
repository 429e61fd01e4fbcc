import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@app/common';

const CROSSWALK_ID = /^[a-z0-9][a-z0-9-]{1,94}$/;

/** A crosswalk slug such as `cps-2016-to-cps-2022-v3`. */
@Injectable()
export class CrosswalkIdPipe implements PipeTransform<string, string> {
  static readonly openApiSchema = { pattern: CROSSWALK_ID.source, minLength: 2, maxLength: 95 };

  transform(value: string): string {
    if (!CROSSWALK_ID.test(value)) {
      throw new ValidationError('id must be a crosswalk slug such as cps-2016-to-cps-2022-v3', [
        { field: 'id', message: 'must be lower-case letters, digits and dashes' },
      ]);
    }
    return value;
  }
}
