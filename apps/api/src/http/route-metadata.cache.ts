import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

interface Found<T> {
  value: T | undefined;
}

/**
 * One metadata key of routes as the Reflector's `getAllAndOverride` gives it (the handler's, else its
 * class's), looked up once per handler and class instead of on every request: decorators are applied
 * when the classes are defined and never change afterwards.
 */
export class RouteMetadataCache<T> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, Found<T>>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
  ) {}

  of(context: ExecutionContext): T | undefined {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.byHandler.get(handler);
    if (!byClass) {
      byClass = new WeakMap();
      this.byHandler.set(handler, byClass);
    }
    let found = byClass.get(controller);
    if (!found) {
      found = { value: this.reflector.getAllAndOverride<T | undefined>(this.key, [handler, controller]) };
      byClass.set(controller, found);
    }
    return found.value;
  }
}
