import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TransitionGuardRegistry } from './transition-guard.registry';
import { type TransitionHookName, TRANSITIONS } from './transition-table';

const noGuard = () => Promise.resolve();
const noEffect = () => Promise.resolve({});

/** Boots a Nest context whose one other provider registers `register` on the registry at module init. */
async function bootWith(register: (registry: TransitionGuardRegistry) => void): Promise<void> {
  @Injectable()
  class SomeLib implements OnModuleInit {
    constructor(private readonly registry: TransitionGuardRegistry) {}
    onModuleInit(): void {
      register(this.registry);
    }
  }
  const moduleRef = await Test.createTestingModule({
    providers: [TransitionGuardRegistry, SomeLib],
  }).compile();
  try {
    await moduleRef.init();
  } finally {
    await moduleRef.close();
  }
}

function registerEveryDeclaredHook(registry: TransitionGuardRegistry, except?: TransitionHookName): void {
  for (const rule of TRANSITIONS) {
    for (const name of rule.externalGuards)
      if (name !== except) registry.register(rule.action, name, noGuard);
    for (const name of rule.externalEffects)
      if (name !== except) registry.registerEffect(rule.action, name, noEffect);
  }
}

describe(TransitionGuardRegistry.name, () => {
  describe('onApplicationBootstrap', () => {
    it('starts when every declared hook is registered and nothing else', async () => {
      await expect(bootWith((registry) => registerEveryDeclaredHook(registry))).resolves.toBeUndefined();
    });

    it('refuses to start with a hook the transition table does not declare', async () => {
      await expect(
        bootWith((registry) => {
          registerEveryDeclaredHook(registry);
          registry.register('withdraw', 'someLib.sneaky_guard', noGuard);
        }),
      ).rejects.toThrow('guard someLib.sneaky_guard on withdraw is not declared');
    });

    it('refuses to start with a hook declared for another action only', async () => {
      await expect(
        bootWith((registry) => {
          registerEveryDeclaredHook(registry);
          registry.registerEffect('withdraw', 'certificates.issue_certificate', noEffect);
        }),
      ).rejects.toThrow('effect certificates.issue_certificate on withdraw is not declared');
    });

    it('refuses to start with a declared hook that nobody registers', async () => {
      await expect(
        bootWith((registry) => registerEveryDeclaredHook(registry, 'decisions.seal_decision_package')),
      ).rejects.toThrow(
        'effect decisions.seal_decision_package on decide is declared but nobody registers it',
      );
    });
  });

  describe('register', () => {
    it('refuses the same hook twice', () => {
      const registry = new TransitionGuardRegistry();
      registry.register('submit', 'assessment.self_assessment_complete', noGuard);
      expect(() => registry.register('submit', 'assessment.self_assessment_complete', noGuard)).toThrow(
        'registered twice',
      );
    });
  });

  describe('effectsFor', () => {
    it('runs the hooks in the order the table declares, whatever the order of registration', () => {
      const registry = new TransitionGuardRegistry();
      const notify = () => Promise.resolve({ by: 'notify' });
      const seal = () => Promise.resolve({ by: 'seal' });
      registry.registerEffect('decide', 'notifications.notify_handoff', notify);
      registry.registerEffect('decide', 'decisions.seal_decision_package', seal);
      expect(registry.effectsFor('decide')).toEqual([seal, notify]);
    });
  });
});
