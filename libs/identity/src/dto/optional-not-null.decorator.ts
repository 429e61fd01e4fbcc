import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * For a field that may be left out but never set to null: an absent field skips the field's other
 * validators (as IsOptional does), while `null` goes through them and is refused with 400. IsOptional
 * lets null through, which a service reading `!== undefined` would then store or act on.
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
