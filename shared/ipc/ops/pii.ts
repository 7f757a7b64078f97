// Revealing masked personal information: role-checked, reason required, always audited.
import { z } from 'zod';
import { PII_FIELDS } from '../../pii/mask.js';
import { operation } from '../define.js';

export const piiOperations = {
  revealPii: operation({
    input: z.strictObject({
      applicantId: z.string().min(1).max(100),
      field: z.enum(PII_FIELDS),
      reason: z.string().trim().min(4, 'say why you need to see this value').max(500),
    }),
    output: z.strictObject({ value: z.string(), masked: z.string(), auditSeq: z.number() }),
    access: ['investigator', 'team_lead', 'admin'],
  }),
};
