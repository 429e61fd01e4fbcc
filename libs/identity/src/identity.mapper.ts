import { todayUtc } from '@app/common';
import type { MeDto } from './dto/me.dto';
import type { SessionDto } from './dto/session.dto';
import type { OrganizationDto } from './dto/organization.dto';
import type { UserDto } from './dto/user.dto';
import type { OrganizationEntity } from './entities/organization.entity';
import type { UserEntity } from './entities/user.entity';
import type { UserSessionEntity } from './entities/user-session.entity';

export function isLicenseValidOn(organization: OrganizationEntity, date: string): boolean {
  return (
    organization.kind === 'certifier' &&
    organization.licenseValidFrom !== null &&
    organization.licenseValidUntil !== null &&
    organization.licenseValidFrom <= date &&
    date <= organization.licenseValidUntil
  );
}

export function toOrganizationDto(organization: OrganizationEntity): OrganizationDto {
  return {
    id: organization.id,
    kind: organization.kind,
    name: organization.name,
    country: organization.country,
    profile: organization.profile,
    license:
      organization.licenseValidFrom && organization.licenseValidUntil
        ? {
            validFrom: organization.licenseValidFrom,
            validUntil: organization.licenseValidUntil,
            isValidToday: isLicenseValidOn(organization, todayUtc()),
          }
        : null,
    pendingChange: organization.pendingChange
      ? {
          name: organization.pendingChange.name,
          country: organization.pendingChange.country,
          requestedAt: organization.pendingChange.requestedAt,
        }
      : null,
    committeeQuorum: organization.kind === 'certifier' ? organization.committeeQuorum : null,
    version: organization.version,
    createdAt: organization.createdAt.toISOString(),
    updatedAt: organization.updatedAt.toISOString(),
  };
}

export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    organizationId: user.organizationId,
    email: user.email,
    name: user.name,
    role: user.role,
    isActive: user.isActive,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMeDto(user: UserEntity, organization: OrganizationEntity): MeDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organization: { id: organization.id, name: organization.name, kind: organization.kind },
    roles: [user.role],
  };
}

export function toSessionDto(session: UserSessionEntity, currentSessionId: string | undefined): SessionDto {
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    userAgent: session.userAgent,
    current: session.id === currentSessionId,
  };
}
