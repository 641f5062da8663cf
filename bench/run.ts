// Benchmark runner: each suite returns figures named `figure@engine`; they are merged into
// bench/results.json (committed), so a change that slows something down shows in the diff.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foundationBench } from './foundation.ts';
import { ledgerBench } from './ledger.ts';
import { ordersBench } from './orders.ts';
import { pairingBench } from './pairing.ts';

export interface Figure {
  value: number;
  unit: string;
  measured_at: string;
  note?: string;
}
export type Figures = Record<string, Figure>;

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

const SUITES: { name: string; run: () => Promise<Figures> }[] = [
  { name: 'foundation', run: foundationBench },
  { name: 'ledger', run: ledgerBench },
  { name: 'pairing', run: pairingBench },
  { name: 'orders', run: ordersBench },
];

export async function runBenchmarks(opts: { only?: string } = {}): Promise<void> {
  for (const suite of SUITES) {
    if (opts.only && !suite.name.startsWith(opts.only)) continue;
    console.log(`bench: ${suite.name}`);
    const figures = await suite.run();
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(40)} ${v.value} ${v.unit}`);
    record(figures);
  }
}

/**
 * Merges figures into results.json as soon as a suite ends, reading the file afresh: a suite that
 * fails later keeps the earlier ones' figures, and another run that wrote meanwhile is not undone.
 */
function record(figures: Figures): void {
  const results: Figures = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, 'utf8')) : {};
  Object.assign(results, figures);
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(RESULTS, JSON.stringify(sorted, null, 2) + '\n');
  console.log(`bench: wrote ${RESULTS}`);
}

export function figure(value: number, unit: string, note?: string): Figure {
  return {
    value: Math.round(value * 100) / 100,
    unit,
    measured_at: new Date().toISOString(),
    ...(note ? { note } : {}),
  };
}
