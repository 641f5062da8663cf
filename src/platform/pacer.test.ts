// The pacer says a turn is due only once its stretch has run its time, and its turn lets I/O
// callbacks waiting on the event loop run before the work goes on.
import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

describe('pacing main-thread work', () => {
  it('is due once the stretch has run its time, and not again until the next has', async () => {
    let now = 1000;
    const pacer = new Pacer(4, () => now);
    expect(pacer.due).toBe(false);
    now += 4;
    expect(pacer.due).toBe(false);
    now += 0.5;
    expect(pacer.due).toBe(true);
    await pacer.turn();
    expect(pacer.due).toBe(false);
    now += 4.5;
    expect(pacer.due).toBe(true);
  });

  it('lets what waits on the event loop run during its turn', async () => {
    const pacer = new Pacer();
    let ran = false;
    setImmediate(() => (ran = true));
    expect(ran).toBe(false);
    await pacer.turn();
    expect(ran).toBe(true);
  });
});
