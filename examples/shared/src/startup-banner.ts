import type { ExampleConfig } from './example-config.js';
import type { TesseraRuntime } from './start-tessera.js';

/**
 * What the developer sees on start: where to click, and where data and mail go. Printed apart
 * from the JSON logs, for a person.
 */
export function startupBanner(title: string, config: ExampleConfig, runtime: TesseraRuntime): string {
  const rows: Array<[string, string]> = [
    ['API docs (try it out)', `${config.appUrl}/docs`],
    ['your report (managers)', `${config.appUrl}/api/reports/users`],
    ['health', `${config.appUrl}/health`],
    ['mail', runtime.devMails === null ? runtime.description.mail : `${runtime.description.mail}: ${config.appUrl}/dev/mail`],
    ['database', runtime.description.database],
    ['secrets', runtime.description.secrets === 'environment' ? 'from the environment' : `generated for development in ${config.dataDir}/dev-secrets.json`],
  ];
  return `\n  ${title} running at ${config.appUrl}\n${rows.map(([label, value]) => `    ${label.padEnd(24)}${value}`).join('\n')}\n`;
}
