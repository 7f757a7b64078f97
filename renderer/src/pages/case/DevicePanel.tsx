import type { ReactNode } from 'react';
import type { CaseEvidence } from '../../../../shared/ipc/ops/cases.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { labelOf } from '../../i18n/optionalKey.js';
import { BandBadge } from '../../components/Band.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/States.js';
import { caseHref } from '../../routes.js';
import { formatDateTime, formatNumber } from '../../format/format.js';
import { describeTokens } from '../../format/tokens.js';
import type { CaseAnalysisState } from './useCaseAnalysis.js';

type Device = CaseEvidence['devices'][number];

/** Flags that mean the device lies about itself or is a tool, not a phone in someone's hand. */
const SEVERE = new Set(['emulator', 'rooted', 'jailbroken', 'hooking', 'automation', 'inconsistent', 'multi_instance']);

export function DevicePanel(props: { analysis: CaseAnalysisState }): ReactNode {
  const { t } = useI18n();
  const { value, error, loading } = props.analysis;
  if (loading) return <Loading />;
  if (error !== null) return <ErrorMessage error={error} />;
  if (value === null || value.devices.length === 0) return <p className="empty-state">{t('device.none')}</p>;
  return (
    <div className="device-panel" data-testid="device-panel">
      {value.devices.map((device) => (
        <DeviceCard key={device.deviceId} device={device} />
      ))}
    </div>
  );
}

function DeviceCard(props: { device: Device }): ReactNode {
  const { t, language } = useI18n();
  const { device } = props;
  return (
    <section className="device-card" aria-labelledby={`device-${device.deviceId}`}>
      <header className="device-head">
        <h3 id={`device-${device.deviceId}`}>{t('device.identity', { id: device.deviceId })}</h3>
        <div className="chips">
          {device.flags.length === 0 ? (
            <span className="chip ok">{t('device.noFlags')}</span>
          ) : (
            device.flags.map((flag) => (
              <span key={flag} className={SEVERE.has(flag) ? 'chip severe' : 'chip'} data-testid="device-flag">
                {labelOf(t, 'deviceFlag', flag)}
              </span>
            ))
          )}
        </div>
      </header>
      <dl className="facts device-facts">
        <div>
          <dt>{t('device.seen')}</dt>
          <dd>
            {formatDateTime(language, device.firstSeen)} – {formatDateTime(language, device.lastSeen)}
          </dd>
        </div>
        <div>
          <dt>{t('device.reputation')}</dt>
          <dd className={device.applicants > 2 ? 'alert-text' : undefined} data-testid="device-reputation">
            {t('device.reputation.value', { observations: formatNumber(language, device.observationCount), applicants: formatNumber(language, device.applicants), applications: formatNumber(language, device.applications) })}
          </dd>
        </div>
        {device.hardwareIdResets > 0 && (
          <div>
            <dt>{t('device.resets')}</dt>
            <dd className="alert-text">{formatNumber(language, device.hardwareIdResets)}</dd>
          </div>
        )}
      </dl>
      {device.traits.length > 0 && (
        <ul className="trait-list">
          {device.traits.map((trait) => (
            <li key={`${trait.flag}-${trait.detail}`}>
              <strong>{labelOf(t, 'deviceFlag', trait.flag)}</strong> <span className="token-text" title={trait.detail}>{describeTokens(t, trait.detail)}</span>
            </li>
          ))}
        </ul>
      )}
      <h4>{t('device.observations', { count: device.observations.length })}</h4>
      <table className="data-table observations">
        <thead>
          <tr>
            <th scope="col">{t('device.col.time')}</th>
            <th scope="col">{t('device.col.model')}</th>
            <th scope="col">{t('device.col.ip')}</th>
            <th scope="col">{t('device.col.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {device.observations.map((observation) => (
            <tr key={observation.id} className={observation.thisApplication ? 'this-application' : undefined}>
              <td>
                {formatDateTime(language, observation.observedAt)}
                {observation.thisApplication && <span className="chip small">{t('device.thisApplication')}</span>}
                {/* The record id events name (the timeline's "device record"), to match an event to its observation. */}
                <small className="observation-id">{observation.id}</small>
              </td>
              <td>
                {observation.model ?? '—'} <small>{observation.platform}</small>
              </td>
              <td>
                {observation.ip ?? '—'} <small>{observation.ipRegion ?? ''}</small>
              </td>
              <td>
                {observation.changes.length === 0
                  ? observation.flags.length === 0 && '—'
                  : observation.changes.map((change) => (
                      <span key={change.field} className="change">
                        <strong>{labelOf(t, 'trait', change.field)}</strong> {change.from} → {change.to}
                      </span>
                    ))}
                {observation.flags.map((flag) => (
                  <span key={flag} className={SEVERE.has(flag) ? 'chip severe small' : 'chip small'}>
                    {labelOf(t, 'deviceFlag', flag)}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('device.others', { count: device.others.length })}</h4>
      {device.others.length === 0 ? (
        <p className="empty-state">{t('device.othersNone')}</p>
      ) : (
        <ul className="other-applicants" data-testid="device-others">
          {device.others.map((other) => (
            <li key={other.applicationId}>
              <a href={caseHref(other.applicationId)}>{other.applicantName}</a>
              <BandBadge band={other.band} />
              <span>{other.score ?? '—'}</span>
              <small>{other.applicationId}</small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
