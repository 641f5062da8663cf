// Once per test run: a migrated template database that every test file copies (PGlite: a data
// folder; PostgreSQL: a template database), so each file starts from a fresh, empty world.
import type { TestProject } from 'vitest/node';
import { prepareTemplate } from './db.ts';

export default async function setup(project: TestProject): Promise<void> {
  const template = await prepareTemplate();
  project.provide('dbTemplate', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
  }
}
