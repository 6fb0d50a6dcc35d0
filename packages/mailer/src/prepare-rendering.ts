import { TesseraConfigError, type FieldIssue, type TesseraEvent } from '@tessera/core';
import Handlebars from 'handlebars';
import { compileTemplates, issueAt, type CompiledTemplates } from './compile-templates.js';
import type { MailedEventType } from './mailed-events.js';
import { resolveMailerOptions, type MailRenderingOptions, type ResolvedMailerOptions } from './mailer-options.js';
import { MailRenderError, renderMail, type RenderedMail } from './render-mail.js';
import { sampleEvents } from './sample-events.js';
import { collectTemplateSources, type TemplateSource, type TemplateSources } from './template-sources.js';

/** Checked options and compiled templates: everything needed to render a mail. */
export interface MailRendering {
  readonly options: ResolvedMailerOptions;
  render(event: TesseraEvent<MailedEventType>): RenderedMail;
}

const templateOptionKeys = ['directory', 'mails', 'layout', 'partials'];

/**
 * Checks the options, reads and compiles every template, and renders a sample of every
 * subscribed event in every variant, so that a broken option or override fails here, at
 * start-up, and never while a mail is being sent.
 *
 * @param issues - problems the caller already found (e.g. with the transport); thrown together.
 * @throws TesseraConfigError naming every wrong option or template.
 */
export function prepareRendering(options: MailRenderingOptions, extraKeys: readonly string[], issues: FieldIssue[]): MailRendering {
  if (typeof options !== 'object' || options === null) {
    throw new TesseraConfigError([{ path: '', code: 'invalid_type', message: 'the mailer needs an options object' }]);
  }
  const resolved = resolveMailerOptions(options, extraKeys, issues);
  const templateOptions = checkTemplateOptions(options.templates, issues);
  const sources = collectTemplateSources(templateOptions, issues);
  const templates = compileTemplates(sources, issues);
  if (issues.length === 0) renderSamples(resolved, sources, templates, issues);
  if (issues.length > 0) throw new TesseraConfigError(issues);
  return { options: resolved, render: (event) => renderMail(event, templates, resolved) };
}

function checkTemplateOptions(value: MailRenderingOptions['templates'], issues: FieldIssue[]): MailRenderingOptions['templates'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    issues.push({ path: 'templates', code: 'invalid_type', message: 'must be an object with directory, mails, layout and/or partials' });
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!templateOptionKeys.includes(key)) issues.push({ path: `templates.${key}`, code: 'unrecognized_key', message: `is not an option (known: ${templateOptionKeys.join(', ')})` });
  }
  if (value.directory !== undefined && typeof value.directory !== 'string') {
    issues.push({ path: 'templates.directory', code: 'invalid_type', message: 'must be the path of a directory' });
    return { ...value, directory: undefined };
  }
  return value;
}

function renderSamples(options: ResolvedMailerOptions, sources: TemplateSources, templates: CompiledTemplates, issues: FieldIssue[]): void {
  const reported = new Set<string>();
  // A broken layout fails every sample the same way: report each problem once.
  const report = (issue: FieldIssue, key = `${issue.path}|${issue.message}`): void => {
    if (!reported.has(key)) issues.push(issue);
    reported.add(key);
  };
  for (const event of sampleEvents().filter((sample) => options.events.includes(sample.type))) {
    try {
      const mail = renderMail(event, templates, options);
      if (mail.link !== null) {
        const source = sources.mails.get(`${mail.template}.html`);
        if (source && !mail.html.includes(Handlebars.escapeExpression(mail.link))) report(issueAt(source, 'missing_link', 'must show the {{link}}'));
        const text = sources.mails.get(`${mail.template}.text`);
        if (text && !mail.text.includes(mail.link)) report(issueAt(text, 'missing_link', 'must show the {{link}}'));
      }
    } catch (error) {
      if (!(error instanceof MailRenderError)) throw error;
      const source = sourceOf(sources, error);
      const message = `${error.message} (with a sample ${event.type} event)`;
      report(source ? issueAt(source, 'render_failed', message) : { path: 'templates', code: 'render_failed', message }, `${source?.path ?? ''}|${error.message}`);
    }
  }
}

function sourceOf(sources: TemplateSources, error: MailRenderError): TemplateSource | undefined {
  switch (error.part) {
    case 'layout.html':
      return sources.layouts.get('html');
    case 'layout.text':
      return sources.layouts.get('text');
    case 'recipient':
      return undefined;
    default:
      return sources.mails.get(`${error.template}.${error.part}`);
  }
}
