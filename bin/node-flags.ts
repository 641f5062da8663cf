// The V8 flags every Lianxin server and command runs with; `bin/lianxin.mjs` names them in its first
// line (`env -S`), and whatever starts it with `node` directly (tests, benches) passes these.
//
// Memory: with Node's defaults on a large machine V8 lets the old generation grow to four times
// what is live before it collects, and each young semi-space to 16 MB. A 200 k-row .xlsx import
// then peaked at ~560 MB of process (60–80 MB live); with a 1 GB old-generation limit (under which V8
// grows the heap by a smaller factor) and 4 MB semi-spaces it peaked at 384–452 MB
// (`ledger.import_xlsx_200k.peak_rss_mb@pglite` in bench/results.json). 1 GB is far above what any
// request or import holds: big reads and writes stream.
//
// Stalls: on a 2-core machine the main thread shares the cores with PGlite's thread and with V8's
// helper threads (four by default, doing both isolates' garbage collection). In 1 M-row CSV imports
// on PGlite the event loop's worst stall was 38–61 ms with the defaults (two runs; 46–96 ms with one
// helper alone), most often when V8's memory reducer compacted the whole heap (~30 MB live) once the
// main thread fell idle during the load's index builds: a 40–80 ms pause. Without the reducer and
// with one helper thread it was 24–27 ms, at the same speed. The cost: after a big import the heap
// keeps what it grew to (121 MB instead of 38) until its next full collection.
export const NODE_FLAGS = [
  '--max-old-space-size=1024',
  '--max-semi-space-size=4',
  '--no-memory-reducer',
  '--v8-pool-size=1',
];
