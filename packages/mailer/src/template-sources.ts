import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldIssue } from '@tessera/core';
import { isMailTemplateName, mailTemplateNames, type MailTemplateName } from './mailed-events.js';
import type { LayoutParts, MailTemplateOptions } from './mailer-options.js';

/** The three parts of a mail template. */
export type MailPart = 'subject' | 'html' | 'text';

/** The two renderings of the layout and of partials. */
export type LayoutPart = 'html' | 'text';

/** A template source and where it came from (for error messages). */
export interface TemplateSource {
  readonly source: string;
  /** The option it came from, e.g. `templates.mails.verify-email.html` or `templates.directory`. */
  readonly path: string;
  /** The file it was read from, relative to its directory, or `null` for a string option. */
  readonly file: string | null;
}

/** Every template source after the overrides were applied. */
export interface TemplateSources {
  readonly mails: ReadonlyMap<`${MailTemplateName}.${MailPart}`, TemplateSource>;
  readonly layouts: ReadonlyMap<LayoutPart, TemplateSource>;
  readonly partials: ReadonlyMap<LayoutPart, ReadonlyMap<string, TemplateSource>>;
}

const mailParts: readonly MailPart[] = ['subject', 'html', 'text'];
const layoutParts: readonly LayoutPart[] = ['html', 'text'];
const partialName = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * The directory of the templates shipped with the package: `templates/` next to `dist/` in the
 * published package, and next to `src/` in the repository (tests run from the sources). Copy
 * files from it to start a `templates.directory` of your own.
 *
 * @returns the absolute path of the bundled `templates/` directory.
 * @throws Error when the directory is missing (the package was bundled without it).
 *
 * @example
 * ```ts
 * import { cpSync } from 'node:fs';
 * cpSync(bundledTemplatesDirectory(), './mail-templates', { recursive: true });
 * ```
 */
export function bundledTemplatesDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const directory = resolve(here, '..', 'templates');
  if (!existsSync(join(directory, 'layout.html.hbs'))) {
    throw new Error(`@tessera/mailer: the bundled templates are missing from ${directory}; was the package bundled without its templates/ directory?`);
  }
  return directory;
}

/**
 * Reads the bundled templates and applies the overrides: `directory`, then the objects.
 * Problems (an unreadable directory, an unknown file or template name) go to `issues`.
 */
export function collectTemplateSources(options: MailTemplateOptions | undefined, issues: FieldIssue[]): TemplateSources {
  const sources = new Map<string, TemplateSource>();
  readDirectory(bundledTemplatesDirectory(), 'templates', sources, null);
  if (options?.directory !== undefined) readDirectory(options.directory, 'templates.directory', sources, issues);
  for (const [name, parts] of Object.entries(options?.mails ?? {})) {
    if (!isMailTemplateName(name)) {
      issues.push({ path: `templates.mails.${name}`, code: 'unknown_template', message: `is not a template (known: ${mailTemplateNames.join(', ')})` });
      continue;
    }
    applyParts(sources, name, parts, mailParts, `templates.mails.${name}`, issues);
  }
  if (options?.layout !== undefined) applyParts(sources, 'layout', options.layout, layoutParts, 'templates.layout', issues);
  for (const [name, parts] of Object.entries(options?.partials ?? {})) {
    if (!partialName.test(name)) {
      issues.push({ path: `templates.partials.${name}`, code: 'invalid_format', message: 'a partial name is lower-case letters, digits and "-"' });
      continue;
    }
    applyParts(sources, `partials/${name}`, parts, layoutParts, `templates.partials.${name}`, issues);
  }
  return structure(sources);
}

function readDirectory(directory: string, path: string, sources: Map<string, TemplateSource>, issues: FieldIssue[] | null): void {
  const files = listTemplateFiles(directory, path, issues);
  for (const file of files) {
    const key = file.slice(0, -'.hbs'.length);
    if (!isKnownKey(key)) {
      const problem = `${file} is not a template file name (expected <template>.subject|html|text.hbs, layout.html|text.hbs or partials/<name>.html|text.hbs)`;
      if (issues === null) throw new Error(`@tessera/mailer: ${problem}`);
      issues.push({ path, code: 'unknown_template', message: problem });
      continue;
    }
    sources.set(key, { source: readFileSync(join(directory, file), 'utf8'), path, file });
  }
}

function listTemplateFiles(directory: string, path: string, issues: FieldIssue[] | null): string[] {
  try {
    const top = readdirSync(directory, { withFileTypes: true });
    const partials = top.some((entry) => entry.isDirectory() && entry.name === 'partials') ? readdirSync(join(directory, 'partials')) : [];
    return [
      ...top.filter((entry) => entry.isFile() && entry.name.endsWith('.hbs')).map((entry) => entry.name),
      ...partials.filter((name) => name.endsWith('.hbs')).map((name) => `partials/${name}`),
    ].sort();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (issues === null) throw error;
    issues.push({ path, code: 'unreadable', message: `cannot be read (${typeof code === 'string' ? code : 'error'})` });
    return [];
  }
}

function isKnownKey(key: string): boolean {
  const [name, part, ...rest] = key.split('.');
  if (rest.length > 0 || name === undefined || part === undefined) return false;
  if (name === 'layout') return (layoutParts as readonly string[]).includes(part);
  if (name.startsWith('partials/')) return partialName.test(name.slice('partials/'.length)) && (layoutParts as readonly string[]).includes(part);
  return isMailTemplateName(name) && (mailParts as readonly string[]).includes(part);
}

function applyParts(
  sources: Map<string, TemplateSource>,
  name: string,
  parts: LayoutParts & { readonly subject?: string | undefined },
  allowed: readonly string[],
  path: string,
  issues: FieldIssue[],
): void {
  if (typeof parts !== 'object' || parts === null) {
    issues.push({ path, code: 'invalid_type', message: `must be an object with ${allowed.join(', ')}` });
    return;
  }
  for (const [part, source] of Object.entries(parts)) {
    if (source === undefined) continue;
    if (!allowed.includes(part) || typeof source !== 'string') {
      issues.push({ path: `${path}.${part}`, code: 'invalid_type', message: `must be one of ${allowed.join(', ')}, each a template source string` });
      continue;
    }
    sources.set(`${name}.${part}`, { source, path: `${path}.${part}`, file: null });
  }
}

function structure(sources: ReadonlyMap<string, TemplateSource>): TemplateSources {
  const mails = new Map<`${MailTemplateName}.${MailPart}`, TemplateSource>();
  const layouts = new Map<LayoutPart, TemplateSource>();
  const partials = new Map<LayoutPart, Map<string, TemplateSource>>(layoutParts.map((part) => [part, new Map()]));
  for (const [key, source] of sources) {
    const [name = '', part = ''] = key.split('.');
    if (name === 'layout') layouts.set(part as LayoutPart, source);
    else if (name.startsWith('partials/')) partials.get(part as LayoutPart)?.set(name.slice('partials/'.length), source);
    else mails.set(key as `${MailTemplateName}.${MailPart}`, source);
  }
  return { mails, layouts, partials };
}
