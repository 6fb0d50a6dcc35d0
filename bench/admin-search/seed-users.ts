import { cities, firstNames, lastNames, mailDomains, rareLastNames } from './word-lists.js';

/** The instant the seeded user base ends at; every date in it and in the scenarios is relative to it. */
export const datasetEnd = new Date('2026-01-01T00:00:00Z');
/** The seeded user base spans three years of sign-ups. */
export const datasetStart = new Date('2023-01-01T00:00:00Z');

const batchSize = 100_000;

/** One connection (a `pg` client): `setseed` holds for the session that runs the insert. */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * Inserts `users` users in batches of set-based SQL (`insert … select … from generate_series`),
 * deterministic for a given count (`setseed` per batch). Sign-ups grow over the three years and
 * arrive in order, as in a real table, so the heap follows `created_at`; ids are UUIDv7 of the
 * sign-up instant, as Tessera makes them.
 *
 * The spread: 99.1% AUTHENTICATED, 0.8% MANAGER, 0.1% ADMIN; 98.5% active, 0.3% locked, 1.2%
 * suspended; 70% verified; pro status none 90%, approved 6%, pending 2%, rejected 1.5%, revoked
 * 0.5%; 60% logged in at least once, mostly lately; 10% without names; 0.1% with a rare surname.
 */
export async function seedUsers(client: SqlSession, users: number, onBatch: (done: number) => void): Promise<void> {
  for (let from = 1; from <= users; from += batchSize) {
    const to = Math.min(users, from + batchSize - 1);
    await client.query('select setseed($1)', [from / (users + 1)]);
    await client.query(insertBatch, [from, to, users, datasetStart, datasetEnd, firstNames, lastNames, rareLastNames, mailDomains, cities, adjectives, nouns]);
    onBatch(to);
  }
}

// Username words in Tessera's generated format (adjective-noun-number).
const adjectives = ['able', 'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosmic', 'daring', 'eager', 'fancy', 'gentle', 'golden', 'happy', 'jolly', 'keen', 'lucky', 'mellow', 'noble', 'quick', 'quiet', 'silver', 'sunny', 'swift', 'witty'];
const nouns = ['acorn', 'badger', 'beacon', 'cedar', 'comet', 'dolphin', 'falcon', 'fox', 'harbor', 'heron', 'koala', 'lynx', 'maple', 'meadow', 'otter', 'owl', 'panda', 'pebble', 'raven', 'river', 'sparrow', 'tiger', 'tulip', 'walrus', 'willow'];

/**
 * One batch. Names are drawn at index ~ r² of their list, so the front of a list is common
 * and its end rare; the username words are spread by row number, so they do not follow it.
 * $1..$3: first and last row number, total; $4/$5: dataset start and end; $6..$12: word lists.
 */
const insertBatch = `
with rows as (
  select
    i,
    $4::timestamptz + ($5::timestamptz - $4::timestamptz) * sqrt(i::float8 / $3) as created_at,
    md5(i::text) as noise,
    random() as r_role, random() as r_status, random() as r_pro, random() as r_verified,
    random() as r_login, random() as r_login_at, random() as r_first, random() as r_last,
    random() as r_rare, random() as r_names, random() as r_mail, random() as r_domain,
    random() as r_username, random() as r_location, random() as r_password
  from generate_series($1::int, $2::int) as i
), named as (
  select
    rows.*,
    case when r_names < 0.1 then null else ($6::text[])[1 + floor(r_first ^ 2 * cardinality($6::text[]))::int] end as first_name,
    case
      when r_names < 0.1 then null
      when r_rare < 0.001 then ($8::text[])[1 + floor(r_last * cardinality($8::text[]))::int]
      else ($7::text[])[1 + floor(r_last ^ 2 * cardinality($7::text[]))::int]
    end as last_name,
    ($11::text[])[1 + ((i::bigint * 7919) % cardinality($11::text[]))::int] || '-' || ($12::text[])[1 + ((i::bigint * 104729 / 25) % cardinality($12::text[]))::int] as words,
    lpad(to_hex((extract(epoch from created_at) * 1000)::bigint), 12, '0') as millis_hex
  from rows
)
insert into tessera_users (
  id, email, email_verified_at, username, password_hash, role, status, pro_status, pro_status_changed_at,
  first_name, last_name, location, last_login_at, created_at, updated_at
)
select
  (substr(millis_hex, 1, 8) || '-' || substr(millis_hex, 9, 4) || '-7' || substr(noise, 1, 3) || '-' || substr('89ab', 1 + i % 4, 1) || substr(noise, 4, 3) || '-' || substr(noise, 7, 12))::uuid,
  lower(
    case
      when first_name is null or r_mail < 0.25 then replace(words, '-', '') || i
      when r_mail < 0.7 then first_name || '.' || coalesce(last_name, 'x') || '.' || i
      else first_name || i
    end || '@' || ($9::text[])[1 + floor(r_domain ^ 2.5 * cardinality($9::text[]))::int]
  ),
  case when r_verified < 0.7 then created_at + interval '4 minutes' * (1 + r_verified * 100) end,
  case
    when first_name is null or r_username < 0.5 then words || '-' || to_hex(i)
    else replace(lower(first_name || '_' || coalesce(last_name, 'x')), '-', '') || '_' || to_hex(i)
  end,
  case when r_password < 0.97 then '$argon2id$v=19$m=19456,t=2,p=1$' || substr(noise, 1, 22) || '$' || md5(noise) || substr(noise, 10, 11) end,
  case when r_role < 0.001 then 'ADMIN' when r_role < 0.009 then 'MANAGER' else 'AUTHENTICATED' end,
  case when r_status < 0.003 then 'locked' when r_status < 0.015 then 'suspended' else 'active' end,
  case when r_pro < 0.9 then 'none' when r_pro < 0.96 then 'approved' when r_pro < 0.98 then 'pending' when r_pro < 0.995 then 'rejected' else 'revoked' end,
  case when r_pro >= 0.9 then created_at + ($5::timestamptz - created_at) * (r_pro - 0.9) * 10 end,
  first_name,
  last_name,
  case when r_location < 0.4 then ($10::text[])[1 + floor(r_location * 2.5 * cardinality($10::text[]))::int] end,
  case when r_login < 0.6 then $5::timestamptz - ($5::timestamptz - created_at) * r_login_at ^ 3 end,
  created_at,
  created_at
from named
`;
