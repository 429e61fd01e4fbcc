import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795440936853 implements MigrationInterface {
  name = 'InitialSchema1795440936853';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_event" (
        "id" uuid NOT NULL,
        "sequence" BIGSERIAL NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_id" uuid,
        "actor_name" text NOT NULL,
        "entity_type" text NOT NULL,
        "entity_id" text NOT NULL,
        "case_id" uuid,
        "action" text NOT NULL,
        "from_status" text,
        "to_status" text,
        "reason" text,
        "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "previous_hash" character(64),
        "hash" character(64) NOT NULL,
        CONSTRAINT "audit_event_sequence_key" UNIQUE ("sequence"),
        CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "audit_event_case_idx" ON "audit_event" ("case_id", "sequence")`);
    await queryRunner.query(
      `CREATE INDEX "audit_event_entity_idx" ON "audit_event" ("entity_type", "entity_id", "sequence")`,
    );
    // The audit trail is append-only: the database itself refuses to change or remove an event.
    await queryRunner.query(`
      CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
      FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"()`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"()`);

    await queryRunner.query(`
      CREATE TABLE "organization" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kind" text NOT NULL,
        "name" text NOT NULL,
        "country" character(2) NOT NULL,
        "profile" jsonb,
        "license_valid_from" date,
        "license_valid_until" date,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "organization_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "organization_kind_check" CHECK ("kind" IN ('institution', 'certifier', 'secretariat')),
        CONSTRAINT "organization_license_order_check" CHECK ("license_valid_from" <= "license_valid_until")
      )`);
    await queryRunner.query(`CREATE INDEX "organization_kind_name_idx" ON "organization" ("kind", "name")`);

    await queryRunner.query(`
      CREATE TABLE "user_account" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid NOT NULL,
        "email" text NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "password_hash" text NOT NULL,
        "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "user_account_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "user_account_role_check" CHECK ("role" IN ('institution_admin', 'institution_member',
          'certifier_admin', 'rater', 'committee_member', 'secretariat_admin', 'secretariat_officer')),
        CONSTRAINT "user_account_organization_fk" FOREIGN KEY ("organization_id")
          REFERENCES "organization"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "user_account_email_key" ON "user_account" ("email")`);
    await queryRunner.query(
      `CREATE INDEX "user_account_organization_idx" ON "user_account" ("organization_id")`,
    );

    await queryRunner.query(`
      CREATE TABLE "refresh_token" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "family_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "refresh_token_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "refresh_token_hash_key" ON "refresh_token" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "refresh_token_user_idx" ON "refresh_token" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "refresh_token_family_idx" ON "refresh_token" ("family_id")`);

    await queryRunner.query(`
      CREATE TABLE "standards_edition" (
        "id" text NOT NULL,
        "title" text NOT NULL,
        "status" text NOT NULL,
        "effective_from" date NOT NULL,
        "document" jsonb NOT NULL,
        "document_sha256" character(64) NOT NULL,
        "principle_count" integer NOT NULL,
        "standard_count" integer NOT NULL,
        "indicator_count" integer NOT NULL,
        "imported_by" uuid,
        "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "published_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT 1,
        CONSTRAINT "standards_edition_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "standards_edition_status_check" CHECK ("status" IN ('draft', 'published'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "standard_indicator" (
        "edition_id" text NOT NULL,
        "code" text NOT NULL,
        "principle_code" text NOT NULL,
        "standard_code" text NOT NULL,
        "level" text,
        "applies_when" jsonb,
        "position" integer NOT NULL,
        CONSTRAINT "standard_indicator_pkey" PRIMARY KEY ("edition_id", "code"),
        CONSTRAINT "standard_indicator_edition_fk" FOREIGN KEY ("edition_id")
          REFERENCES "standards_edition"("id") ON DELETE CASCADE
      )`);
    // Published editions never change: cases are pinned to them.
    await queryRunner.query(`
      CREATE FUNCTION "standards_edition_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD."status" = 'published' THEN
          RAISE EXCEPTION 'standards edition % is published and immutable', OLD."id"
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "standards_edition_immutable" BEFORE UPDATE OR DELETE ON "standards_edition"
      FOR EACH ROW EXECUTE FUNCTION "standards_edition_refuse_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "standards_edition_immutable" ON "standards_edition"`);
    await queryRunner.query(`DROP FUNCTION "standards_edition_refuse_change"()`);
    await queryRunner.query(`DROP TABLE "standard_indicator"`);
    await queryRunner.query(`DROP TABLE "standards_edition"`);
    await queryRunner.query(`DROP TABLE "refresh_token"`);
    await queryRunner.query(`DROP TABLE "user_account"`);
    await queryRunner.query(`DROP TABLE "organization"`);
    await queryRunner.query(`DROP TRIGGER "audit_event_no_truncate" ON "audit_event"`);
    await queryRunner.query(`DROP TRIGGER "audit_event_append_only" ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION "audit_event_refuse_change"()`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
  }
}
