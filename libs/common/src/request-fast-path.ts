/**
 * A request body class's shortcut past class-transformer and class-validator: given the parsed JSON body,
 * answers the instance the validation pipe would make of it when the body is certainly valid, and
 * `undefined` whenever it cannot tell at a glance (the pipe then validates it as usual and reports every
 * problem). For bodies of many nested items, where class-validator's per-object cost is most of a request.
 */
export type RequestFastPath<T> = (body: unknown) => T | undefined;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by class
const fastPaths = new Map<Function, RequestFastPath<unknown>>();

/** Registers `parse` as `type`'s shortcut (see RequestFastPath). */
export function registerRequestFastPath<T>(type: abstract new () => T, parse: RequestFastPath<T>): void {
  fastPaths.set(type, parse);
}

/** The instance `type`'s shortcut makes of `body`, or undefined when there is none or it cannot tell. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a route parameter's metatype
export function validBodyByFastPath(type: Function | undefined, body: unknown): unknown {
  return type ? fastPaths.get(type)?.(body) : undefined;
}
