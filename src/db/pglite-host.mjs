// Worker thread that owns the embedded PGlite database and serves it over a private Unix socket
// with the PostgreSQL wire protocol. Running it off the main thread keeps long queries from
// freezing HTTP (PGlite blocks its thread for the whole query); speaking the wire protocol lets the
// app use one driver (node-postgres) for the embedded and the real server alike.
// Plain JS on purpose: a worker started from vitest or tsx must load without a TS loader.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The database yields the CPU to the event loop. On a machine with few cores this thread, busy
// with a long query or an import's writes, otherwise takes the main thread's turn and HTTP waits:
// in a 50 k-row import on 2 cores the worst event-loop stalls were 30–59 ms at the default
// priority and 20–37 ms at nice 10, the import as fast. On Linux a nice value belongs to the
// calling thread; elsewhere it would lower the whole process, so there nothing changes.
if (process.platform === 'linux') {
  try {
    os.setPriority(10);
  } catch {
    // refused (a locked-down container): the default priority stays
  }
}

/** PGlite's own start parameters minus `-F` (fsync off), plus a durable commit. */
const START_PARAMS = [
  '--single',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'io_method=sync',
  '-c',
  'max_parallel_maintenance_workers=0',
  '-c',
  'fsync=on',
  '-c',
  'synchronous_commit=on',
  '-c',
  'full_page_writes=on',
  '-c',
  'TimeZone=UTC',
  // Memory. PGlite's WASM heap grows and never shrinks, and initdb's 128 MB of shared buffers were
  // resident from the start (~155 MB of the process before any query): 32 MB keep the hot pages of
  // a ledger list, and reads that miss come from the OS page cache a syscall away. An initial load's
  // index rebuilds sort in 32 MB and spill to temp files beyond it (only a million-row load does).
  // work_mem stays at 4 MB (per sort or hash of a query); wal_buffers follows shared_buffers (1 MB).
  '-c',
  'shared_buffers=32MB',
  '-c',
  'maintenance_work_mem=32MB',
  '-c',
  'work_mem=4MB',
];

const { dataDir, socketPath } = workerData;
try {
  const db = await PGlite.create({ dataDir, startParams: START_PARAMS });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  await server.start();
  parentPort.postMessage({ ready: true });
  parentPort.on('message', async (msg) => {
    if (msg === 'close') {
      await server.stop();
      await db.close();
      parentPort.postMessage({ closed: true });
    }
  });
} catch (err) {
  parentPort.postMessage({ error: String(err?.stack ?? err) });
}
