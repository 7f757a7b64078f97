// Local profiles: who may open the store and with which role. Key slots live in the keyring; this is
// the part that is encrypted with everything else.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../shared/domain/roles.js';
import type { Database } from '../database.js';

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly disabledAt: string | null;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  created_at: string;
  created_by: string | null;
  disabled_at: string | null;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  createdAt: row.created_at,
  createdBy: row.created_by,
  disabledAt: row.disabled_at,
});

export interface UsersRepository {
  insert(user: Omit<UserRecord, 'disabledAt'>): void;
  byId(id: string): UserRecord | undefined;
  byUsername(username: string): UserRecord | undefined;
  list(): UserRecord[];
  count(): number;
}

export function createUsersRepository(db: Database): UsersRepository {
  const columns = 'id, username, display_name, role, created_at, created_by, disabled_at';
  const insert: Statement<[UserRow]> = db.prepare(
    'INSERT INTO users (id, username, display_name, role, created_at, created_by, disabled_at) VALUES (@id, @username, @display_name, @role, @created_at, @created_by, @disabled_at)',
  );
  const byId: Statement<[string], UserRow> = db.prepare(`SELECT ${columns} FROM users WHERE id = ?`);
  const byUsername: Statement<[string], UserRow> = db.prepare(`SELECT ${columns} FROM users WHERE username = ?`);
  const list: Statement<[], UserRow> = db.prepare(`SELECT ${columns} FROM users ORDER BY username`);
  const count = db.prepare('SELECT count(*) FROM users').pluck() as Statement<[], number>;
  return {
    insert(user) {
      insert.run({
        id: user.id,
        username: user.username,
        display_name: user.displayName,
        role: user.role,
        created_at: user.createdAt,
        created_by: user.createdBy,
        disabled_at: null,
      });
    },
    byId: (id) => {
      const row = byId.get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    byUsername: (username) => {
      const row = byUsername.get(username);
      return row === undefined ? undefined : toRecord(row);
    },
    list: () => list.all().map(toRecord),
    count: () => count.get() ?? 0,
  };
}
