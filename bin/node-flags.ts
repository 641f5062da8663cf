// The V8 flags every Lianxin server and command runs with; `bin/lianxin.mjs` names them in its first
// line (`env -S`), and whatever starts it with `node` directly (tests, benches) passes these.
//
// Memory: with Node's defaults on a large machine V8 lets the old generation grow to four times
// what is live before it collects, and each young semi-space to 16 MB. A 200 k-row .xlsx import
// then peaked at ~560 MB of process (60–80 MB live); with a 1 GB old-generation limit (under which V8
// grows the heap by a smaller factor) and 4 MB semi-spaces it peaked at 384–452 MB
// (`ledger.import_xlsx_200k.peak_rss_mb@pglite` in bench/results.json). 1 GB is far above what any
// request or import holds: big reads and writes stream.
export const NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4'];
