import { isTesseraError } from '@tessera/core';
import type { CapturedMail } from '@tessera/mailer';
import type { ExampleTessera } from './start-tessera.js';

/**
 * The few HTML pages of the examples, as strings: every framework sends them its own way. No
 * inline script, so they work under a strict Content-Security-Policy; every value is escaped.
 */

/** An HTML page: status and body. */
export interface HtmlPage {
  readonly status: number;
  readonly html: string;
}

/** `/account/email`: where Tessera's verification and email-change links land (`?status=…`). */
export function accountEmailPage(status: string | undefined): HtmlPage {
  const messages: Record<string, string> = {
    verified: 'Your email address is verified. Sign in at /docs: press Authorize and enter your email and password.',
    confirmed: 'Your new email address is confirmed. Sign in with it from now on.',
  };
  const message = status !== undefined && Object.hasOwn(messages, status) ? messages[status]! : 'That link is invalid or has expired. Ask for a new one.';
  return { status: 200, html: page('Email address', `<p>${escapeHtml(message)}</p><p><a href="/docs">API docs</a></p>`) };
}

/**
 * `/dev/mail`: the mails the dev mailbox kept, newest first, with their links and text. Only
 * served in development (with `SMTP_URL` set, mail really goes out and this page is a 404).
 */
export function devMailPage(mails: readonly CapturedMail[]): HtmlPage {
  const items = mails.map(
    (mail) =>
      `<li><p>${escapeHtml(mail.template)} to <b>${escapeHtml(mail.to.address)}</b>: <b>${escapeHtml(mail.subject)}</b></p>` +
      `${mail.link === null ? '' : `<p><a href="${escapeHtml(mail.link)}">${escapeHtml(mail.link)}</a></p>`}` +
      `<details><summary>text</summary><pre>${escapeHtml(mail.text)}</pre></details></li>`,
  );
  const body = mails.length === 0 ? '<p>No mail yet. Register at <a href="/docs">/docs</a>.</p>' : `<ol>${items.join('')}</ol>`;
  return { status: 200, html: page('Dev mailbox', body) };
}

/** `GET /reset-password?token=…`: the page the reset mail links to. The reset itself is a POST. */
export function resetPasswordForm(token: string | undefined): HtmlPage {
  const form =
    `<form method="post" action="/reset-password"><input type="hidden" name="token" value="${escapeHtml(token ?? '')}">` +
    '<label>New password <input type="password" name="password" minlength="15" required autocomplete="new-password"></label> ' +
    '<button>Set password</button></form>';
  return { status: 200, html: page('Choose a new password', form) };
}

/** `POST /reset-password` (a form): sets the new password through Tessera's service API. */
export async function submitResetPassword(tessera: ExampleTessera, fields: Readonly<Record<string, unknown>>): Promise<HtmlPage> {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  try {
    await tessera.api.resetPassword({ token: text(fields.token), password: text(fields.password) });
    return { status: 200, html: page('Password changed', '<p>Your password was changed, and you were signed out everywhere. Sign in again.</p>') };
  } catch (error) {
    if (!isTesseraError(error) || error.status >= 500) throw error;
    const issues = (error.details?.fields ?? []).map((issue) => `<li>${escapeHtml(issue.message)}</li>`).join('');
    return { status: error.status, html: page('Password not changed', `<p>${escapeHtml(error.message)}</p>${issues === '' ? '' : `<ul>${issues}</ul>`}`) };
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
