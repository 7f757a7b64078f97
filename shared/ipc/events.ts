// Main-to-renderer events, typed like operations: one schema per event name.
import { z } from 'zod';

export const events = {
  /** Long-running work (imports, analysis runs, backups) reports here; `total` is null when unknown. */
  progress: z.strictObject({
    taskId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    ratePerSecond: z.number().nullable(),
    message: z.string().optional(),
  }),
  /** The session ended (idle timeout, OS lock, explicit lock): the renderer returns to the unlock screen. */
  locked: z.strictObject({ reason: z.enum(['idle', 'user', 'os', 'suspend']) }),
  notification: z.strictObject({ level: z.enum(['info', 'warning', 'error']), messageKey: z.string(), params: z.record(z.string(), z.string()).optional() }),
};
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
