import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, addMonths, type OrganizationKind, type Role, todayUtc } from '@app/common';
import {
  type InstitutionProfile,
  OrganizationEntity,
  OrganizationsService,
  UserEntity,
  UsersService,
} from '@app/identity';
import { DataSource } from 'typeorm';

export const DEMO_PASSWORD = 'demo-password-2026';

const SEED_ACTOR: Actor = {
  kind: 'system',
  userId: null,
  name: 'demo seed',
  role: 'secretariat_admin',
  organizationId: null,
  organizationKind: 'secretariat',
};

interface DemoOrganization {
  kind: OrganizationKind;
  name: string;
  country: string;
  profile?: InstitutionProfile;
  isLicensed?: boolean;
  users: { email: string; name: string; role: Role }[];
}

const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    kind: 'secretariat',
    name: 'Client Protection Campaign Secretariat',
    country: 'CH',
    users: [
      { email: 'admin@secretariat.demo', name: 'Sofia Secretariat-Admin', role: 'secretariat_admin' },
      { email: 'officer@secretariat.demo', name: 'Omar Secretariat-Officer', role: 'secretariat_officer' },
    ],
  },
  {
    kind: 'certifier',
    name: 'Andes Social Rating',
    country: 'PE',
    isLicensed: true,
    users: [
      { email: 'admin@certifier.demo', name: 'Carla Certifier-Admin', role: 'certifier_admin' },
      { email: 'rater@certifier.demo', name: 'Rafael Rater', role: 'rater' },
      { email: 'committee@certifier.demo', name: 'Camila Committee', role: 'committee_member' },
      { email: 'committee2@certifier.demo', name: 'Cheikh Comité', role: 'committee_member' },
    ],
  },
  {
    kind: 'institution',
    name: 'Microfinanzas Esperanza',
    country: 'PE',
    profile: {
      legalForm: 'NGO',
      offersCredit: true,
      offersSavings: false,
      offersInsurance: true,
      offersPayments: false,
      usesDigitalChannels: true,
      usesAgents: false,
      groupLending: true,
      creditBureauAvailable: true,
      clientCount: 84000,
      branchCount: 42,
    },
    users: [
      { email: 'admin@esperanza.demo', name: 'Ines Institution-Admin', role: 'institution_admin' },
      { email: 'member@esperanza.demo', name: 'Mateo Institution-Member', role: 'institution_member' },
    ],
  },
  {
    kind: 'institution',
    name: 'Sahel Savings and Credit Cooperative',
    country: 'SN',
    profile: {
      legalForm: 'Cooperative',
      offersCredit: true,
      offersSavings: true,
      offersInsurance: false,
      offersPayments: true,
      usesDigitalChannels: true,
      usesAgents: true,
      groupLending: false,
      creditBureauAvailable: false,
      clientCount: 120000,
      branchCount: 35,
    },
    users: [{ email: 'admin@sahel.demo', name: 'Awa Institution-Admin', role: 'institution_admin' }],
  },
];

export interface DemoCredentials {
  password: string;
  accounts: { email: string; role: Role; organization: string }[];
}

/** Demo organizations and one user per role for the quick start; running it again changes nothing. */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
  ) {}

  async seed(): Promise<DemoCredentials> {
    const accounts: DemoCredentials['accounts'] = [];
    for (const demo of DEMO_ORGANIZATIONS) {
      const organizationId = await this.ensureOrganization(demo);
      for (const user of demo.users) {
        const exists = await this.dataSource.getRepository(UserEntity).existsBy({ email: user.email });
        if (!exists)
          await this.users.create(SEED_ACTOR, organizationId, { ...user, password: DEMO_PASSWORD });
        accounts.push({ email: user.email, role: user.role, organization: demo.name });
      }
    }
    this.logger.log(`Demo data ready: ${accounts.length} accounts`);
    return { password: DEMO_PASSWORD, accounts };
  }

  private async ensureOrganization(demo: DemoOrganization): Promise<string> {
    const existing = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ kind: demo.kind, name: demo.name });
    if (existing) return existing.id;
    const today = todayUtc();
    const created = await this.organizations.create(SEED_ACTOR, {
      kind: demo.kind,
      name: demo.name,
      country: demo.country,
      profile: demo.profile,
      license: demo.isLicensed ? { validFrom: today, validUntil: addMonths(today, 12) } : undefined,
    });
    return created.id;
  }
}
