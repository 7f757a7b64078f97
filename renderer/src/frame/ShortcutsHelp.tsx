import type { ReactNode } from 'react';
import type { MessageKey } from '../../../shared/i18n/index.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { Dialog } from '../components/Dialog.js';

const GROUPS: ReadonlyArray<{ title: MessageKey; keys: ReadonlyArray<[string, MessageKey]> }> = [
  {
    title: 'shortcuts.everywhere',
    keys: [
      ['?', 'shortcuts.help'],
      ['Esc', 'shortcuts.close'],
    ],
  },
  {
    title: 'shortcuts.queue',
    keys: [
      ['j', 'shortcuts.next'],
      ['k', 'shortcuts.previous'],
      ['Enter', 'shortcuts.open'],
      ['/', 'shortcuts.search'],
      ['c', 'shortcuts.claim'],
    ],
  },
  {
    title: 'shortcuts.case',
    keys: [
      ['1 – 6', 'shortcuts.tabs'],
      ['u', 'shortcuts.backToQueue'],
      ['d', 'shortcuts.decide'],
      ['n', 'shortcuts.note'],
    ],
  },
];

export function ShortcutsHelp(props: { onClose: () => void }): ReactNode {
  const { t } = useI18n();
  return (
    <Dialog title={t('shortcuts.title')} onClose={props.onClose} testId="shortcuts-help">
      {GROUPS.map((group) => (
        <section key={group.title} className="shortcut-group">
          <h3>{t(group.title)}</h3>
          <dl>
            {group.keys.map(([key, label]) => (
              <div key={key} className="shortcut-row">
                <dt>
                  <kbd>{key}</kbd>
                </dt>
                <dd>{t(label)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
