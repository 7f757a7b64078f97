import type { SessionUser } from '../../../shared/ipc/ops/session.js';

/** What the frame and pages know of the session: who is signed in, and how to lock. */
export interface SignedIn {
  readonly user: SessionUser;
  readonly lock: () => void;
}
