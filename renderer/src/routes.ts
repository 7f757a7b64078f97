import type { MessageKey } from '../../shared/i18n/index.js';

export const ROUTES = ['queue', 'cases', 'import', 'appeals', 'review', 'training', 'dashboards', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, MessageKey> = {
  queue: 'nav.queue',
  cases: 'nav.cases',
  import: 'nav.import',
  appeals: 'nav.appeals',
  review: 'nav.review',
  training: 'nav.training',
  dashboards: 'nav.dashboards',
  settings: 'nav.settings',
};

/** Where the window is: a page, and for `cases` optionally the application whose case is open. */
export interface AppLocation {
  readonly route: Route;
  readonly caseId: string | null;
}

export function routeFromHash(hash: string): Route {
  return locationFromHash(hash).route;
}

export function locationFromHash(hash: string): AppLocation {
  const [name = '', detail] = hash.replace(/^#\/?/, '').split('/');
  const route = (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'queue';
  let caseId: string | null = null;
  if (route === 'cases' && detail !== undefined && detail !== '') {
    try {
      caseId = decodeURIComponent(detail);
    } catch {
      caseId = null; // a malformed escape is a broken link, not a case id
    }
  }
  return { route, caseId };
}

/** Moves the window to another page (hash routing: history and back/forward come with it). */
export function navigate(hash: string): void {
  window.location.hash = hash;
}

export function caseHref(applicationId: string): string {
  return `#/cases/${encodeURIComponent(applicationId)}`;
}
