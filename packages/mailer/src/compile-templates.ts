import type { FieldIssue } from '@tessera/core';
import Handlebars from 'handlebars';
import { mailTemplateNames, type MailTemplateName } from './mailed-events.js';
import type { LayoutPart, MailPart, TemplateSource, TemplateSources } from './template-sources.js';

/** A compiled template: variables in, text out. */
export type RenderTemplate = (variables: object) => string;

/** Every template, compiled. */
export interface CompiledTemplates {
  mail(name: MailTemplateName, part: MailPart): RenderTemplate;
  layout(part: LayoutPart): RenderTemplate;
}

/**
 * Parses and compiles every template. HTML templates escape every `{{value}}`; the subject and
 * text templates do not (they are not HTML). Templates run in strict mode, so a misspelt
 * variable fails instead of rendering as nothing. In HTML, unescaped output (`{{{x}}}`,
 * `{{&x}}`) is refused except for the layout's `{{{body}}}`: every user-supplied value stays
 * escaped, whoever wrote the template. Problems go to `issues`.
 */
export function compileTemplates(sources: TemplateSources, issues: FieldIssue[]): CompiledTemplates {
  const environments = { html: createEnvironment(), text: createEnvironment() };
  const compile = (source: TemplateSource, part: MailPart | LayoutPart, isLayout = false): RenderTemplate => {
    const environment = part === 'html' ? environments.html : environments.text;
    try {
      const outputs = findOutputs(environment.parse(source.source));
      if (part === 'html') {
        for (const raw of outputs.filter((output) => !output.isEscaped && !(isLayout && output.name === 'body'))) {
          issues.push(issueAt(source, 'unescaped_output', `{{{${raw.name}}}} on line ${raw.line} would put a value into the HTML unescaped; use {{${raw.name}}}`));
        }
      }
      if (isLayout && !outputs.some((output) => output.name === 'body')) {
        issues.push(issueAt(source, 'missing_body', `must output the mail's body with ${part === 'html' ? '{{{body}}}' : '{{body}}'}`));
      }
    } catch (error) {
      issues.push(issueAt(source, 'invalid_template', messageOf(error)));
    }
    // Registered as partials too, so handlebars must get its own delegate (with its runtime options).
    return environment.compile<object>(source.source, { strict: true, noEscape: part !== 'html' });
  };

  for (const part of ['html', 'text'] as const) {
    for (const [name, source] of sources.partials.get(part) ?? []) {
      environments[part].registerPartial(name, compile(source, part));
    }
  }
  const mails = new Map<string, RenderTemplate>();
  for (const name of mailTemplateNames) {
    for (const part of ['subject', 'html', 'text'] as const) {
      const source = sources.mails.get(`${name}.${part}`);
      if (source === undefined) issues.push({ path: 'templates', code: 'missing_template', message: `${name}.${part}.hbs is missing` });
      else mails.set(`${name}.${part}`, compile(source, part));
    }
  }
  const layouts = new Map<LayoutPart, RenderTemplate>();
  for (const part of ['html', 'text'] as const) {
    const source = sources.layouts.get(part);
    if (source === undefined) issues.push({ path: 'templates', code: 'missing_template', message: `layout.${part}.hbs is missing` });
    else layouts.set(part, compile(source, part, true));
  }
  return {
    mail: (name, part) => lookUp(mails, `${name}.${part}`),
    layout: (part) => lookUp(layouts, part),
  };
}

function createEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();
  // `{{log link}}` would write a link with its token to the console.
  environment.unregisterHelper('log');
  return environment;
}

interface Output {
  readonly name: string;
  readonly line: number;
  readonly isEscaped: boolean;
}

/** Every `{{value}}` of a template, in blocks too. */
function findOutputs(program: hbs.AST.Program): Output[] {
  const found: Output[] = [];
  const visit = (node: hbs.AST.Program | undefined): void => {
    for (const statement of node?.body ?? []) {
      if (statement.type === 'MustacheStatement') {
        const mustache = statement as hbs.AST.MustacheStatement;
        found.push({ name: nameOf(mustache.path), line: mustache.loc.start.line, isEscaped: mustache.escaped });
      } else if (statement.type === 'BlockStatement' || statement.type === 'DecoratorBlock') {
        visit((statement as hbs.AST.BlockStatement).program);
        visit((statement as hbs.AST.BlockStatement).inverse);
      } else if (statement.type === 'PartialBlockStatement') {
        visit((statement as hbs.AST.PartialBlockStatement).program);
      }
    }
  };
  visit(program);
  return found;
}

function nameOf(path: hbs.AST.PathExpression | hbs.AST.Literal): string {
  return path.type === 'PathExpression' ? (path as hbs.AST.PathExpression).original : path.type;
}

function lookUp<K>(templates: ReadonlyMap<K, RenderTemplate>, key: K): RenderTemplate {
  const template = templates.get(key);
  if (template === undefined) throw new Error(`@tessera/mailer: no template ${String(key)}`);
  return template;
}

/** The issue for a problem in one template source, naming the option and the file. */
export function issueAt(source: TemplateSource, code: string, message: string): FieldIssue {
  return { path: source.path, code, message: source.file === null ? message : `${source.file}: ${message}` };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
