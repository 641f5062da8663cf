// Benchmark runner: each benchmark returns figures; they are merged into bench/results.json.
export async function runBenchmarks(_opts: { only?: string }): Promise<void> {
  throw new Error('not yet');
}
