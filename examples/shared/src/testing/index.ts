/**
 * The smoke test the examples share (`@tessera/example-shared/testing`).
 *
 * @packageDocumentation
 */
export { describeExampleSmoke } from './example-smoke.js';
export { freePort, startExample, waitFor, type ExampleProcess } from './example-process.js';
export { promoteWithExampleCli } from './promote-user.js';
export { startSmtpInbox, type ReceivedMail, type SmtpInbox } from './smtp-inbox.js';
