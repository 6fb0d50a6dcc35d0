import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io.js';

/** Shows how far an import is. */
export interface ImportProgress {
  /** `done` rows of the total are handled. */
  update(done: number): void;
  /** The import ended (or stopped). */
  stop(): void;
}

const plainIntervalMs = 5000;

/**
 * A progress bar with rate and ETA on stderr when a person watches a terminal; plain
 * `n/N rows, r rows/s, ETA` lines every few seconds (and at the end) otherwise, which a log
 * keeps readable; nothing with `--json`.
 */
export function startProgress(io: CliIo, options: { total: number; json: boolean; label: string }): ImportProgress {
  if (options.json) return { update: () => undefined, stop: () => undefined };
  const started = performance.now();
  const rate = (done: number) => Math.round(done / Math.max((performance.now() - started) / 1000, 0.001));
  if (io.isTTY) {
    const bar = new SingleBar(
      {
        stream: io.stderr,
        format: `${options.label} |{bar}| {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
        etaBuffer: 500,
        hideCursor: true,
        // The caller decided a person watches; draw even if the stream does not say it is a TTY.
        noTTYOutput: true,
      },
      Presets.shades_classic,
    );
    bar.start(options.total, 0, { rate: 0 });
    return {
      update: (done) => bar.update(done, { rate: rate(done) }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = started;
  let latest = 0;
  const line = (done: number, final: boolean) => {
    const perSecond = rate(done);
    const left = options.total - done;
    const eta = final ? `done in ${formatSeconds((performance.now() - started) / 1000)}` : `ETA ${perSecond === 0 ? '?' : formatSeconds(left / perSecond)}`;
    io.stderr.write(`${options.label}: ${done}/${options.total} rows, ${perSecond} rows/s, ${eta}\n`);
  };
  return {
    update: (done) => {
      latest = done;
      if (performance.now() - lastLine < plainIntervalMs) return;
      lastLine = performance.now();
      line(done, false);
    },
    stop: () => line(latest, true),
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
