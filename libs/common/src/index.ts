export * from './actor';
export * from './canonical-json.util';
export * from './domain.error';
export * from './error-code';
export * from './page';
export * from './roles';
export * from './calendar-date';
export * from './page-query.dto';
