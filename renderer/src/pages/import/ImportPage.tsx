import type { ReactNode } from 'react';
import { EmptyPage } from '../EmptyPage.js';

export function ImportPage(): ReactNode {
  return <EmptyPage title="page.import.title" empty="page.import.empty" />;
}
