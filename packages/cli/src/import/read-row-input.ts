import { normalizeEmail, type CreateUserInput } from '@tessera/core';
import type { CsvRecord } from './read-csv-records.js';
import type { ColumnMapping, ImportField } from './map-columns.js';

/** A row read into the fields of a user, not yet validated by the service. */
export interface RowInput {
  readonly email: string;
  /** The email as the store keeps it, for duplicate checks. */
  readonly normalizedEmail: string;
  readonly username?: string;
  readonly role?: string;
  /** From the file's column, when it has one and the cell is filled. */
  readonly emailVerified?: boolean;
  readonly password?: string;
  readonly profile: NonNullable<CreateUserInput['profile']>;
}

/** Why a row was not imported: the field (as the file names it) and a stable code. */
export interface RowProblem {
  /** The column header, or `null` for the row as a whole. */
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}

const profileFields = ['firstName', 'lastName', 'bio', 'location', 'pictureUrl', 'linkedinUrl', 'githubUrl'] as const;

/**
 * Reads a record into user fields: blank cells are absent, cells are trimmed (a password
 * is kept as it is). Checks only what the service cannot: the number of fields and the
 * spelling of a yes/no cell.
 */
export function readRowInput(record: CsvRecord, mapping: ColumnMapping): RowInput | RowProblem {
  if (record.fields.length !== mapping.header.length) {
    return { column: null, code: 'column_count', message: `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, the header has ${mapping.header.length}` };
  }
  const cell = (field: ImportField): string | undefined => {
    const index = mapping.fields.indexOf(field);
    const value = index < 0 ? undefined : record.fields[index];
    if (value === undefined) return undefined;
    const kept = field === 'password' ? value : value.trim();
    return kept === '' ? undefined : kept;
  };
  const email = cell('email');
  if (email === undefined) return { column: columnOf(mapping, 'email'), code: 'required', message: 'is empty' };
  const verified = cell('emailVerified');
  const emailVerified = verified === undefined ? undefined : parseYesNo(verified);
  if (emailVerified === null) return { column: columnOf(mapping, 'emailVerified'), code: 'invalid_boolean', message: `"${verified}" is not true/false (or yes/no, 1/0)` };
  const profile = Object.fromEntries(profileFields.flatMap((field) => (cell(field) === undefined ? [] : [[field, cell(field)]])));
  const username = cell('username');
  const role = cell('role')?.toUpperCase();
  const password = cell('password');
  return {
    email,
    normalizedEmail: normalizeEmail(email),
    ...(username !== undefined && { username }),
    ...(role !== undefined && { role }),
    ...(emailVerified !== undefined && { emailVerified }),
    ...(password !== undefined && { password }),
    profile,
  };
}

/** Whether a row read into fields (rather than a problem). */
export function isRowInput(value: RowInput | RowProblem): value is RowInput {
  return 'email' in value;
}

/** The header of the column feeding a field (the service names fields, the operator columns). */
export function columnOf(mapping: ColumnMapping, field: string): string | null {
  const index = mapping.fields.indexOf(field as ImportField);
  return index < 0 ? null : (mapping.header[index] ?? null);
}

function parseYesNo(text: string): boolean | null {
  const value = text.toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(value)) return true;
  if (['false', 'no', 'n', '0'].includes(value)) return false;
  return null;
}
