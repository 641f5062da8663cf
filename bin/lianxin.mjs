#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4 --no-memory-reducer --v8-pool-size=1
// The `lianxin` command: loads the TypeScript sources through tsx and hands over to src/main.ts.
// Its first line gives node the flags of bin/node-flags.ts (a test keeps the two the same).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
