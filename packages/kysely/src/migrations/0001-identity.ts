import { sql, type Kysely } from 'kysely';

/**
 * Users, one-time tokens, refresh tokens, the bootstrap slot, the outbox and the audit log.
 * Every lookup the services make has an index; uniqueness is enforced by the database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tessera_users')
    .addColumn('id', 'uuid', (column) => column.primaryKey())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('username', 'text', (column) => column.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('active'))
    .addColumn('pro_status', 'text', (column) => column.notNull().defaultTo('none'))
    .addColumn('pro_status_changed_at', 'timestamptz')
    .addColumn('pro_status_reason', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('bio', 'text')
    .addColumn('location', 'text')
    .addColumn('picture_url', 'text')
    .addColumn('linkedin_url', 'text')
    .addColumn('github_url', 'text')
    .addColumn('profile_custom', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('failed_login_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('last_failed_login_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('lockout_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('sessions_valid_after', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    // Stored lower-case, so a plain unique constraint is a case-insensitive one.
    .addUniqueConstraint('tessera_users_email_key', ['email'])
    .addUniqueConstraint('tessera_users_username_key', ['username'])
    .addCheckConstraint('tessera_users_email_lower', sql`email = lower(email)`)
    .addCheckConstraint('tessera_users_username_lower', sql`username = lower(username)`)
    .addCheckConstraint('tessera_users_role', sql`role in ('ADMIN', 'MANAGER', 'AUTHENTICATED')`)
    .addCheckConstraint('tessera_users_status', sql`status in ('active', 'locked', 'suspended')`)
    .addCheckConstraint('tessera_users_pro_status', sql`pro_status in ('none', 'pending', 'approved', 'rejected', 'revoked')`)
    .execute();
  await db.schema.createIndex('tessera_users_role_status_idx').on('tessera_users').columns(['role', 'status']).execute();

  await db.schema
    .createTable('tessera_one_time_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'uuid', (column) => column.notNull().references('tessera_users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (column) => column.notNull())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addCheckConstraint('tessera_one_time_tokens_purpose', sql`purpose in ('verify_email', 'reset_password', 'change_email')`)
    .execute();
  await db.schema.createIndex('tessera_one_time_tokens_user_idx').on('tessera_one_time_tokens').columns(['user_id', 'purpose']).execute();

  await db.schema
    .createTable('tessera_refresh_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'uuid', (column) => column.notNull().references('tessera_users.id').onDelete('cascade'))
    .addColumn('family_id', 'uuid', (column) => column.notNull())
    .addColumn('family_expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('rotated_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('user_agent', 'text')
    .addColumn('ip_address', 'text')
    .execute();
  await db.schema.createIndex('tessera_refresh_tokens_family_idx').on('tessera_refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('tessera_refresh_tokens_user_idx').on('tessera_refresh_tokens').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('tessera_bootstrap')
    .addColumn('slot', 'text', (column) => column.primaryKey())
    .addColumn('claimed_at', 'timestamptz', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('tessera_outbox')
    .addColumn('id', 'uuid', (column) => column.primaryKey())
    .addColumn('consumer', 'text', (column) => column.notNull())
    .addColumn('event_type', 'text', (column) => column.notNull())
    .addColumn('event_id', 'uuid', (column) => column.notNull())
    .addColumn('payload', 'jsonb', (column) => column.notNull())
    .addColumn('sealed_secrets', 'text')
    .addColumn('state', 'text', (column) => column.notNull().defaultTo('pending'))
    .addColumn('available_at', 'timestamptz', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addUniqueConstraint('tessera_outbox_event_consumer_key', ['event_id', 'consumer'])
    .addCheckConstraint('tessera_outbox_state', sql`state in ('pending', 'delivered', 'dead')`)
    .execute();
  await db.schema.createIndex('tessera_outbox_due_idx').on('tessera_outbox').columns(['state', 'available_at']).execute();

  await db.schema
    .createTable('tessera_audit_events')
    .addColumn('id', 'uuid', (column) => column.primaryKey())
    .addColumn('at', 'timestamptz', (column) => column.notNull())
    // No foreign key: the audit trail outlives the users it mentions.
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('target_id', 'uuid')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('tessera_audit_events_target_idx').on('tessera_audit_events').columns(['target_id', 'at']).execute();
  await db.schema.createIndex('tessera_audit_events_at_idx').on('tessera_audit_events').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tessera_audit_events', 'tessera_outbox', 'tessera_bootstrap', 'tessera_refresh_tokens', 'tessera_one_time_tokens', 'tessera_users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
