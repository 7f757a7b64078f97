// Reads one clear PII field of an applicant for the reveal service. The `applicants` table belongs to
// 002_records; the column comes from a fixed list, never from input, and the statement is prepared once.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { PiiField } from '../../shared/pii/mask.js';
import type { Database } from './database.js';

export interface ApplicantPiiRepository {
  /** The clear value, or undefined when there is no such applicant (null when the field is empty). */
  field(applicantId: string, field: PiiField): string | null | undefined;
}

export function createApplicantPiiRepository(db: Database): ApplicantPiiRepository {
  const statements = new Map<PiiField, Statement<[string], { value: string | null }>>();
  const statementFor = (field: PiiField): Statement<[string], { value: string | null }> => {
    let statement = statements.get(field);
    if (statement === undefined) {
      const column = ({ name: 'name', id_number: 'id_number', phone: 'phone' } as const)[field];
      statement = db.prepare(`SELECT ${column} AS value FROM applicants WHERE id = ?`);
      statements.set(field, statement);
    }
    return statement;
  };
  return {
    field(applicantId, field) {
      return statementFor(field).get(applicantId)?.value;
    },
  };
}
