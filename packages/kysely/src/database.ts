/**
 * The tables Tessera keeps, as a Kysely `Database` interface. Exported so host apps can join
 * their own tables to `tessera_users` with full type checking.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type Json<T> = ColumnType<T, string, string>;

export interface TesseraUsersTable {
  id: string;
  email: string;
  email_verified_at: NullableTimestamp;
  username: string;
  password_hash: string | null;
  role: 'ADMIN' | 'MANAGER' | 'AUTHENTICATED';
  status: Generated<'active' | 'locked' | 'suspended'>;
  pro_status: Generated<'none' | 'pending' | 'approved' | 'rejected' | 'revoked'>;
  pro_status_changed_at: NullableTimestamp;
  pro_status_reason: string | null;
  first_name: string | null;
  last_name: string | null;
  bio: string | null;
  location: string | null;
  picture_url: string | null;
  linkedin_url: string | null;
  github_url: string | null;
  profile_custom: Json<Record<string, unknown>>;
  failed_login_count: Generated<number>;
  last_failed_login_at: NullableTimestamp;
  locked_until: NullableTimestamp;
  lockout_count: Generated<number>;
  last_login_at: NullableTimestamp;
  sessions_valid_after: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TesseraOneTimeTokensTable {
  token_hash: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password' | 'change_email';
  email: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface TesseraRefreshTokensTable {
  token_hash: string;
  user_id: string;
  family_id: string;
  family_expires_at: Timestamp;
  expires_at: Timestamp;
  created_at: Timestamp;
  rotated_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  user_agent: string | null;
  ip_address: string | null;
}

export interface TesseraBootstrapTable {
  slot: string;
  claimed_at: Timestamp;
}

export interface TesseraOutboxTable {
  id: string;
  consumer: string;
  event_type: string;
  event_id: string;
  payload: Json<Record<string, unknown>>;
  sealed_secrets: string | null;
  state: Generated<'pending' | 'delivered' | 'dead'>;
  available_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  claim_token: string | null;
  claimed_until: NullableTimestamp;
  created_at: Timestamp;
  delivered_at: NullableTimestamp;
}

export interface TesseraAuditEventsTable {
  id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_id: string | null;
  before: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  after: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  ip_address: string | null;
  user_agent: string | null;
}

/** One rate-limit counter: the hits of `key` in the fixed window that ends at `reset_at`. */
export interface TesseraRateLimitsTable {
  key: string;
  count: number;
  reset_at: Timestamp;
}

/** Tessera's tables. */
export interface TesseraDatabase {
  tessera_users: TesseraUsersTable;
  tessera_one_time_tokens: TesseraOneTimeTokensTable;
  tessera_refresh_tokens: TesseraRefreshTokensTable;
  tessera_bootstrap: TesseraBootstrapTable;
  tessera_outbox: TesseraOutboxTable;
  tessera_audit_events: TesseraAuditEventsTable;
  tessera_rate_limits: TesseraRateLimitsTable;
}
