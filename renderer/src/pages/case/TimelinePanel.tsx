import { useMemo, useRef, useState, type PointerEvent, type ReactNode, type WheelEvent } from 'react';
import type { CaseDetail } from '../../../../shared/ipc/ops/cases.js';
import type { LoadedTimeline } from './useCase.js';
import { useI18n } from '../../i18n/I18nProvider.js';
import { useElementWidth } from '../../hooks/useElementWidth.js';
import { BandBadge } from '../../components/Band.js';
import { caseHref } from '../../routes.js';
import { formatDate, formatDateTime, formatDateTimeSeconds, formatTime } from '../../format/format.js';
import { LANES, density, marksInView, prepareEvents, timeTicks, type PreparedEvent } from './timelineModel.js';
import { EventDetail } from './EventDetail.js';

const LANE_HEIGHT = 30;
const LABEL_WIDTH = 132;
const AXIS_HEIGHT = 24;
const OVERVIEW_HEIGHT = 44;
const MIN_SPAN_MS = 2000;

interface View {
  start: number;
  end: number;
}

/**
 * The applicant's activation as swim lanes per step on one time axis: every event a mark, device and
 * IP changes as vertical rules, a brush strip below to pick the window, the wheel to zoom.
 */
export function TimelinePanel(props: { timeline: LoadedTimeline; detail: CaseDetail }): ReactNode {
  const { t, language } = useI18n();
  const events = useMemo(() => prepareEvents(props.timeline.events), [props.timeline.events]);
  const full = useMemo<View>(() => {
    const first = events[0]?.time ?? 0;
    const last = events.at(-1)?.time ?? first;
    const pad = Math.max(1000, (last - first) * 0.02);
    return { start: first - pad, end: last + pad };
  }, [events]);
  const [view, setView] = useState<View | null>(null);
  const shown = view ?? full;
  const [selected, setSelected] = useState<number | null>(null);
  const [containerRef, containerWidth] = useElementWidth<HTMLDivElement>(800);
  const plotWidth = Math.max(200, containerWidth - LABEL_WIDTH - 8);
  const height = LANES.length * LANE_HEIGHT + AXIS_HEIGHT;

  const marks = useMemo(() => marksInView(events, shown.start, shown.end, plotWidth), [events, shown.start, shown.end, plotWidth]);
  const changes = useMemo(() => events.filter((event) => (event.deviceChanged || event.ipChanged) && event.time >= shown.start && event.time <= shown.end), [events, shown.start, shown.end]);
  const { step, ticks } = timeTicks(shown.start, shown.end, Math.max(3, Math.floor(plotWidth / 120)));
  const overview = useMemo(() => density(events, full.start, full.end, 120), [events, full.start, full.end]);
  const overviewMax = Math.max(1, ...overview);
  const xOf = (time: number): number => ((time - shown.start) / Math.max(1, shown.end - shown.start)) * plotWidth;
  const overviewX = (time: number): number => ((time - full.start) / Math.max(1, full.end - full.start)) * plotWidth;

  const clampView = (start: number, end: number): View | null => {
    let span = Math.max(MIN_SPAN_MS, end - start);
    span = Math.min(span, full.end - full.start);
    let from = Math.max(full.start, start);
    if (from + span > full.end) from = full.end - span;
    return span >= full.end - full.start ? null : { start: from, end: from + span };
  };
  const zoom = (factor: number, around?: number): void => {
    const center = around ?? (shown.start + shown.end) / 2;
    setView(clampView(center - (center - shown.start) * factor, center + (shown.end - center) * factor));
  };
  const onWheel = (event: WheelEvent<SVGSVGElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    const at = shown.start + ((event.clientX - box.left - LABEL_WIDTH) / plotWidth) * (shown.end - shown.start);
    zoom(event.deltaY > 0 ? 1.25 : 0.8, at);
  };

  // Brush: drag across the overview strip to choose the window.
  const brushStart = useRef<number | null>(null);
  const [brushDraft, setBrushDraft] = useState<View | null>(null);
  const timeAtOverview = (event: PointerEvent<SVGSVGElement>): number => {
    const box = event.currentTarget.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (event.clientX - box.left - LABEL_WIDTH) / plotWidth));
    return full.start + fraction * (full.end - full.start);
  };
  const onBrushDown = (event: PointerEvent<SVGSVGElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    brushStart.current = timeAtOverview(event);
    setBrushDraft({ start: brushStart.current, end: brushStart.current });
  };
  const onBrushMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (brushStart.current === null) return;
    const at = timeAtOverview(event);
    setBrushDraft({ start: Math.min(brushStart.current, at), end: Math.max(brushStart.current, at) });
  };
  const onBrushUp = (event: PointerEvent<SVGSVGElement>): void => {
    if (brushStart.current === null) return;
    const at = timeAtOverview(event);
    const start = Math.min(brushStart.current, at);
    const end = Math.max(brushStart.current, at);
    brushStart.current = null;
    setBrushDraft(null);
    if (end - start < (full.end - full.start) / 500) {
      // A click, not a drag: centre the current window there.
      const span = shown.end - shown.start;
      setView(clampView(at - span / 2, at + span / 2));
    } else setView(clampView(start, end));
  };

  const select = (index: number | null): void => {
    if (index === null || events.length === 0) {
      setSelected(null);
      return;
    }
    const bounded = Math.max(0, Math.min(events.length - 1, index));
    setSelected(bounded);
    const target = events[bounded];
    if (target !== undefined && (target.time < shown.start || target.time > shown.end)) {
      const span = shown.end - shown.start;
      setView(clampView(target.time - span / 2, target.time + span / 2));
    }
  };
  const selectedEvent: PreparedEvent | undefined = selected === null ? undefined : events[selected];
  const tickLabel = (tick: number): string => (step >= 86_400_000 ? formatDate(language, new Date(tick).toISOString()) : formatTime(language, tick));
  const brush = brushDraft ?? shown;
  const deviceChanges = events.filter((event) => event.deviceChanged).length;
  const ipChanges = events.filter((event) => event.ipChanged).length;

  return (
    <div className="timeline-panel" data-testid="timeline-panel">
      <div className="timeline-toolbar">
        <span className="timeline-summary" data-testid="timeline-summary">
          {t('timeline.summary', { count: events.length, devices: deviceChanges, ips: ipChanges })}
        </span>
        <span className="timeline-range">
          {formatDateTimeSeconds(language, new Date(shown.start).toISOString())} – {formatDateTimeSeconds(language, new Date(shown.end).toISOString())}
        </span>
        <div className="button-group">
          <button type="button" className="secondary small" onClick={() => zoom(0.5)} aria-label={t('timeline.zoomIn')}>
            +
          </button>
          <button type="button" className="secondary small" onClick={() => zoom(2)} aria-label={t('timeline.zoomOut')}>
            −
          </button>
          <button type="button" className="secondary small" onClick={() => setView(null)} disabled={view === null}>
            {t('timeline.reset')}
          </button>
        </div>
      </div>
      <div className="timeline-legend" aria-hidden="true">
        {(['navigation', 'input', 'paste', 'verification', 'binding', 'pf', 'risk'] as const).map((family) => (
          <span key={family} className="legend-item">
            <span className={`legend-mark family-${family}`} />
            {t(`timeline.family.${family}`)}
          </span>
        ))}
        <span className="legend-item">
          <span className="legend-rule device" />
          {t('timeline.deviceChange')}
        </span>
        <span className="legend-item">
          <span className="legend-rule ip" />
          {t('timeline.ipChange')}
        </span>
      </div>
      <div className="timeline-body">
        <div className="timeline-chart" ref={containerRef}>
          {events.length === 0 ? (
            <p className="empty-state">{t('timeline.empty')}</p>
          ) : (
            <>
              <svg
                width={plotWidth + LABEL_WIDTH}
                height={height}
                className="timeline-svg"
                onWheel={onWheel}
                role="img"
                aria-label={t('timeline.chartLabel', { count: events.length })}
                data-testid="timeline-svg"
              >
                {LANES.map((lane, row) => (
                  <g key={lane} transform={`translate(0, ${row * LANE_HEIGHT})`}>
                    <rect x={LABEL_WIDTH} width={plotWidth} height={LANE_HEIGHT} className={row % 2 === 0 ? 'lane even' : 'lane odd'} />
                    <text x={LABEL_WIDTH - 8} y={LANE_HEIGHT / 2 + 4} textAnchor="end" className="lane-label">
                      {t(`step.${lane}`)}
                    </text>
                  </g>
                ))}
                <g transform={`translate(${LABEL_WIDTH}, 0)`}>
                  {ticks.map((tick) => (
                    <g key={tick} transform={`translate(${xOf(tick)}, 0)`}>
                      <line y1={0} y2={LANES.length * LANE_HEIGHT} className="tick-line" />
                      <text y={LANES.length * LANE_HEIGHT + 16} textAnchor="middle" className="tick-label">
                        {tickLabel(tick)}
                      </text>
                    </g>
                  ))}
                  {changes.map((change) => (
                    <line
                      key={`c${change.index}`}
                      x1={xOf(change.time)}
                      x2={xOf(change.time)}
                      y1={0}
                      y2={LANES.length * LANE_HEIGHT}
                      className={change.deviceChanged ? 'change-rule device' : 'change-rule ip'}
                      data-testid={change.deviceChanged ? 'device-change' : 'ip-change'}
                    />
                  ))}
                  {marks.map((mark) => {
                    const row = LANES.indexOf(mark.lane);
                    const y = row * LANE_HEIGHT + LANE_HEIGHT / 2;
                    const isSelected = selectedEvent !== undefined && mark.first.index === selectedEvent.index;
                    return mark.family === 'paste' ? (
                      <path
                        key={`${mark.lane}-${Math.round(mark.x)}-p`}
                        d={`M ${mark.x} ${y - 7} L ${mark.x + 6} ${y + 5} L ${mark.x - 6} ${y + 5} Z`}
                        className={`mark family-paste${isSelected ? ' selected' : ''}`}
                        onClick={() => select(mark.first.index)}
                      />
                    ) : (
                      <circle
                        key={`${mark.lane}-${Math.round(mark.x)}`}
                        cx={mark.x}
                        cy={y}
                        r={mark.count > 1 ? 5.5 : 4.5}
                        className={`mark family-${mark.family}${isSelected ? ' selected' : ''}`}
                        onClick={() => select(mark.first.index)}
                      />
                    );
                  })}
                  {selectedEvent !== undefined && selectedEvent.time >= shown.start && selectedEvent.time <= shown.end && (
                    <line x1={xOf(selectedEvent.time)} x2={xOf(selectedEvent.time)} y1={0} y2={LANES.length * LANE_HEIGHT} className="selected-rule" />
                  )}
                </g>
              </svg>
              <svg
                width={plotWidth + LABEL_WIDTH}
                height={OVERVIEW_HEIGHT}
                className="timeline-overview"
                onPointerDown={onBrushDown}
                onPointerMove={onBrushMove}
                onPointerUp={onBrushUp}
                role="img"
                aria-label={t('timeline.brushLabel')}
                data-testid="timeline-brush"
              >
                <text x={LABEL_WIDTH - 8} y={OVERVIEW_HEIGHT / 2 + 4} textAnchor="end" className="lane-label">
                  {t('timeline.overview')}
                </text>
                <g transform={`translate(${LABEL_WIDTH}, 0)`}>
                  <rect width={plotWidth} height={OVERVIEW_HEIGHT} className="overview-bg" />
                  {overview.map((count, bin) => {
                    const barHeight = (count / overviewMax) * (OVERVIEW_HEIGHT - 6);
                    return count === 0 ? null : <rect key={bin} x={(bin / overview.length) * plotWidth} width={plotWidth / overview.length - 0.5} y={OVERVIEW_HEIGHT - barHeight} height={barHeight} className="overview-bar" />;
                  })}
                  <rect x={overviewX(brush.start)} width={Math.max(2, overviewX(brush.end) - overviewX(brush.start))} height={OVERVIEW_HEIGHT} className="brush-window" />
                </g>
              </svg>
            </>
          )}
        </div>
        <EventDetail
          event={selectedEvent}
          total={events.length}
          onPrevious={() => select(selected === null ? 0 : selected - 1)}
          onNext={() => select(selected === null ? 0 : selected + 1)}
        />
      </div>
      {props.detail.previousApplications.length > 0 && (
        <section className="previous-applications" aria-labelledby="previous-title">
          <h3 id="previous-title">{t('timeline.previous', { count: props.detail.previousApplications.length })}</h3>
          <ul>
            {props.detail.previousApplications.map((previous) => (
              <li key={previous.applicationId}>
                <a href={caseHref(previous.applicationId)}>{previous.applicationId}</a>
                <span>{formatDateTime(language, previous.submittedAt)}</span>
                <BandBadge band={previous.band} />
                <span>{previous.score ?? '—'}</span>
                <span>{t(`status.${previous.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
