import { CliError } from '../cli-error.js';
import { exitCodes } from '../exit-codes.js';

/** The user fields an import row can set. */
export const importFields = ['email', 'username', 'firstName', 'lastName', 'role', 'emailVerified', 'password', 'bio', 'location', 'pictureUrl', 'linkedinUrl', 'githubUrl'] as const;

/** A field an import column maps to. */
export type ImportField = (typeof importFields)[number];

/** Which field each column of the file feeds (`null`: not imported). */
export interface ColumnMapping {
  readonly header: readonly string[];
  readonly fields: ReadonlyArray<ImportField | null>;
  /** Headers that map to no field. */
  readonly ignored: readonly string[];
}

/** Header spellings recognised without `--map`, compared without case, spaces, `_` or `-`. */
const aliases: Readonly<Record<string, ImportField>> = {
  email: 'email', emailaddress: 'email', mail: 'email',
  username: 'username', login: 'username',
  firstname: 'firstName', givenname: 'firstName',
  lastname: 'lastName', surname: 'lastName', familyname: 'lastName',
  role: 'role',
  emailverified: 'emailVerified', verified: 'emailVerified',
  password: 'password',
  bio: 'bio', location: 'location',
  pictureurl: 'pictureUrl', linkedinurl: 'linkedinUrl', githuburl: 'githubUrl',
};

const simplify = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Parses `--map` values: `Header=field` pairs separated by commas, e.g.
 * `"Email Address=email,First Name=firstName"`.
 *
 * @throws CliError `usage` for a malformed pair or an unknown field.
 */
export function parseColumnMap(values: readonly string[]): ReadonlyMap<string, ImportField> {
  const map = new Map<string, ImportField>();
  for (const pair of values.flatMap((value) => value.split(','))) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    const header = pair.slice(0, at).trim();
    const field = importFields.find((candidate) => simplify(candidate) === simplify(pair.slice(at + 1)));
    if (at <= 0 || header === '' || field === undefined) {
      throw new CliError(exitCodes.usage, `--map: "${pair.trim()}" is not Header=field with a field among ${importFields.join(', ')}.`, 'invalid_map');
    }
    map.set(header.toLowerCase(), field);
  }
  return map;
}

/**
 * Maps the header of the file to fields: `--map` first, then the recognised spellings.
 *
 * @throws CliError `usage` when `--map` names a header the file lacks; `refused` without an
 *   email column, or when two columns feed one field.
 */
export function mapColumns(header: readonly string[], map: ReadonlyMap<string, ImportField>): ColumnMapping {
  const names = header.map((name) => name.trim());
  const missing = [...map.keys()].filter((name) => !names.some((candidate) => candidate.toLowerCase() === name));
  if (missing.length > 0) throw new CliError(exitCodes.usage, `--map names columns the file does not have: ${missing.join(', ')}. Its header: ${names.join(', ')}.`, 'invalid_map');
  const fields = names.map((name) => map.get(name.toLowerCase()) ?? aliases[simplify(name)] ?? null);
  const twice = fields.find((field, index) => field !== null && fields.indexOf(field) !== index);
  if (twice) throw new CliError(exitCodes.refused, `Two columns feed the field ${twice}: map one elsewhere with --map or remove it.`, 'ambiguous_columns');
  if (!fields.includes('email')) {
    throw new CliError(exitCodes.refused, `No email column in the header (${names.join(', ')}): name it "email" or map it, e.g. --map "E-Mail=email".`, 'missing_email_column');
  }
  return { header: names, fields, ignored: names.filter((_, index) => fields[index] === null) };
}
