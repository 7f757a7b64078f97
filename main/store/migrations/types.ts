import type { Database } from '../database.js';

/** One schema step. Ids only grow; a shipped migration is never edited, a change is a new one. */
export interface Migration {
  readonly id: number;
  /** snake_case, matches the file name `NNN_<name>.ts`. */
  readonly name: string;
  /** Runs inside the runner's transaction; must not open its own. */
  up(db: Database): void;
}
