import type { MessageKey } from '../../shared/i18n/index.js';

export const ROUTES = ['queue', 'cases', 'appeals', 'review', 'training', 'dashboards', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, MessageKey> = {
  queue: 'nav.queue',
  cases: 'nav.cases',
  appeals: 'nav.appeals',
  review: 'nav.review',
  training: 'nav.training',
  dashboards: 'nav.dashboards',
  settings: 'nav.settings',
};

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'queue';
}
