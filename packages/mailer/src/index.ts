/**
 * `@tessera/mailer`: Tessera's transactional mail. An outbox consumer that renders handlebars
 * templates (one shared layout, a subject, an HTML and a text body per mail) and sends them
 * through nodemailer; and a development mailer that keeps them in memory.
 *
 * @packageDocumentation
 */
export { createMailer, type MailerOptions } from './create-mailer.js';
export { createDevMailer, type CapturedMail, type DevMailer, type DevMailerOptions } from './create-dev-mailer.js';
export type { Mailer } from './mail-consumer.js';
export type { LayoutParts, MailAddress, MailLinks, MailRenderingOptions, MailTemplateOptions, MailTemplateParts } from './mailer-options.js';
export { MailRenderError, type Mailbox, type RenderedMail } from './render-mail.js';
export { MailDeliveryError } from './mail-delivery-error.js';
export { createSmtpTransport, smtpTimeouts } from './smtp-transport.js';
export { mailedEventTypes, mailTemplateNames, type MailedEventType, type MailTemplateName } from './mailed-events.js';
export { sampleEvents } from './sample-events.js';
export { bundledTemplatesDirectory } from './template-sources.js';
