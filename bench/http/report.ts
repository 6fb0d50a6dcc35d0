import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { HttpFigure } from './scenarios.js';

/** A route's figure held against the rate it cannot exceed, and the share it should reach. */
export interface Comparison {
  readonly figure: HttpFigure;
  readonly ceiling: { readonly name: string; readonly perSecond: number } | null;
  /** The least share of the ceiling that meets the quality bar, e.g. 0.8. */
  readonly target: number | null;
}

/** What the figures were measured on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly versions: Readonly<Record<string, string>>;
}

/** The CPU, the cores, Node and the versions of what sits on the hot paths. */
export async function describeMachine(): Promise<Machine> {
  const version = async (path: string) => ((JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8')) as { version: string }).version);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    versions: {
      hono: await version('../../examples/hono/node_modules/hono/package.json'),
      '@hono/node-server': await version('../../examples/hono/node_modules/@hono/node-server/package.json'),
      jose: await version('../../packages/core/node_modules/jose/package.json'),
      '@node-rs/argon2': await version('../../packages/core/node_modules/@node-rs/argon2/package.json'),
      autocannon: await version('../../node_modules/autocannon/package.json'),
    },
  };
}

/** Prints the machine, the ceilings and one Markdown table row per route (for docs/performance.md). */
export function printReport(report: {
  machine: Machine;
  database: string;
  loadAtStart: readonly number[];
  loadAtEnd: readonly number[];
  ceilings: ReadonlyArray<{ name: string; perSecond: number; detail: string }>;
  comparisons: readonly Comparison[];
  notes: readonly string[];
}): void {
  const { machine } = report;
  const lines = [
    '',
    `date: ${new Date().toISOString()}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}`,
    `versions: ${Object.entries(machine.versions).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `database: ${report.database}`,
    `load average (1/5/15 min): ${loadText(report.loadAtStart)} at start, ${loadText(report.loadAtEnd)} at end`,
    '',
    '| ceiling | per second | how |',
    '|---|---:|---|',
    ...report.ceilings.map((ceiling) => `| ${ceiling.name} | ${whole(ceiling.perSecond)} | ${ceiling.detail} |`),
    '',
    '| route | connections | req/s | p50 ms | p99 ms | non-2xx/errors | server CPU ms/req (main thread) | load generator ms/req | PostgreSQL ms/req | ratio to ceiling | target | met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
    ...report.comparisons.map(row),
    '',
    ...report.notes,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function row({ figure, ceiling, target }: Comparison): string {
  const ratio = ceiling === null ? null : figure.requestsPerSecond / ceiling.perSecond;
  const ratioText = ratio === null || ceiling === null ? '—' : `${percent(ratio)} of ${ceiling.name}`;
  const met = ratio === null || target === null ? '—' : ratio >= target ? 'yes' : 'no';
  return `| ${figure.name} | ${figure.connections} | ${whole(figure.requestsPerSecond)} | ${figure.p50Millis} | ${figure.p99Millis} | ${figure.failures} | ${cpuText(figure.serverCpuMillisPerRequest)} (${cpuText(figure.mainThreadCpuMillisPerRequest)}) | ${cpuText(figure.loadGeneratorCpuMillisPerRequest)} | ${cpuText(figure.databaseCpuMillisPerRequest)} | ${ratioText} | ${target === null ? '—' : percent(target)} | ${met} |`;
}

function cpuText(millis: number | null): string {
  if (millis === null) return '—';
  return millis >= 1 ? millis.toFixed(1) : millis.toFixed(3);
}

function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Rounded down, so that a ratio just short of its target never prints as the target itself. */
function percent(value: number): string {
  return `${Math.floor(value * 100 + 1e-9)}%`;
}

function loadText(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(' / ');
}
