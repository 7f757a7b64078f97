import type { ReactNode } from 'react';
import type { QueueFilter } from '../../../../shared/ipc/ops/cases.js';
import type { SignedIn } from '../../session/signedIn.js';
import { QueuePage } from './QueuePage.js';

const MINE: QueueFilter = { assignee: 'me', statuses: ['in_progress', 'awaiting_documents', 'escalated', 'pending_review'] };

/** The cases the signed-in investigator holds: the queue, narrowed to them and to work not yet finished. */
export function MyCasesPage(props: { session: SignedIn }): ReactNode {
  return <QueuePage session={props.session} fixedFilter={MINE} titleKey="page.cases.title" />;
}
