/**
 * "My missing wrap-ups" (issue 18): an agent's own conversations of the last days with the
 * worklist's classification, and the way into the one wrap-up path for each missing one.
 *
 * - With an analytics permission (either: the details query accepts both [H]) the worklist's own
 *   loader runs with the agent filter fixed to the signed-in user: every query carries a `userId`
 *   predicate for them, so an org that refuses agents' unfiltered queries answers it too [L].
 * - Without one, the agent's voice calls come from `calls/history` (history-loader.ts), and the page
 *   says so plainly, naming the permission to ask for.
 * - While the page is open, the agent's own `v2.users.{id}.conversations` topic (on the one
 *   notification channel of `@/lib/genesys/wrapup-watch.ts`) lays each communication's live state
 *   over the list (live-rows.ts); one that leaves after-call work without a code shows at once and
 *   is announced with a toast.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GuxFormFieldSelect, GuxInlineAlert } from 'genesys-spark-components-react';
import { showToast } from '@/components/ui/toast-store.ts';
import { isApiError } from '@/lib/genesys/api-error.ts';
import { ownCommunications, userConversationsTopic, type OwnCommunication } from '@/lib/genesys/own-conversations.ts';
import { createWrapupWatch, type WatchStatus } from '@/lib/genesys/wrapup-watch.ts';
import { formatDateTime, formatDuration, formatNumber, userTimeZone } from '@/lib/i18n/format.ts';
import { conversationQueries, refreshList, stopLoading } from './conversation-queries.ts';
import { intervalString, resolveInterval, RANGE_PRESETS, type ListParams } from './filters.ts';
import { useLabels } from './labels.ts';
import { applyLive } from './live-rows.ts';
import { ErrorDetails, LoadStatus, errorAdvice } from './load-status.tsx';
import { MY_STATUS_FILTERS, type MySearch } from './my-filters.ts';
import { filterMyItems, isMissing, missingCount, myItems, type MyItem } from './my-items.ts';
import { myQueries } from './my-queries.ts';
import { buildNames } from './names.ts';
import type { WorklistData } from './loader.ts';

import './my-wrapups.css';

export interface MyWrapupsPageProps {
  search: MySearch;
  onSearchChange: (patch: Partial<MySearch>) => void;
  /** The signed-in user: every query is about them only. */
  userId: string;
  /** Either analytics permission: the details query; otherwise `calls/history` (calls only). */
  ownAnalytics: boolean;
  /** `conversation:participant:wrapup`; undefined while the permissions load. */
  canWrite: boolean | undefined;
  /** The route's link into the wrap-up form for one item (features do not link to each other's pages). */
  renderApply: (item: MyItem, label: string, text: string) => ReactNode;
  /** Told the number of missing wrap-ups whenever it changes (the route may badge the app with it). */
  onMissingCount?: (count: number) => void;
}

const EMPTY: WorklistData['rows'] = [];

type LiveState = { kind: 'connecting' } | { kind: 'live' } | { kind: 'off' } | { kind: 'rejected'; reason: string };

/** The agent's own user conversation topic while the page is open: live communications, keyed by communication id. */
function useOwnLive(userId: string, onLeftWithoutCode: (c: OwnCommunication) => void) {
  const [live, setLive] = useState<ReadonlyMap<string, OwnCommunication>>(() => new Map());
  const [state, setState] = useState<LiveState>({ kind: 'connecting' });
  const notify = useRef(onLeftWithoutCode);
  useEffect(() => {
    notify.current = onLeftWithoutCode;
  }, [onLeftWithoutCode]);
  useEffect(() => {
    const topic = userConversationsTopic(userId);
    if (!topic) return;
    const watch = createWrapupWatch();
    const onStatus = (s: WatchStatus) => {
      const verdict = watch.followVerdict(topic);
      if (s === 'live' && verdict !== null && verdict !== 'Permitted') setState({ kind: 'rejected', reason: verdict });
      else setState(s === 'live' ? { kind: 'live' } : s === 'connecting' ? { kind: 'connecting' } : { kind: 'off' });
    };
    watch.onStatus(onStatus);
    watch.onEvent((e) => {
      const comms = ownCommunications(e.eventBody, userId, Date.now());
      if (comms.length === 0) return;
      setLive((prev) => {
        const next = new Map(prev);
        for (const c of comms) next.set(c.communicationId, c);
        return next;
      });
      for (const c of comms) if (c.leftAcwWithoutCode && c.state === 'missing') notify.current(c);
    });
    watch.follow([topic]);
    return () => watch.close();
  }, [userId]);
  return { live, state };
}

export function MyWrapupsPage({ search, onSearchChange, userId, ownAnalytics, canWrite, renderApply, onMissingCount }: MyWrapupsPageProps) {
  const { t, i18n } = useTranslation(['my', 'conversations']);
  const lng = i18n.language;
  const queryClient = useQueryClient();
  const zone = userTimeZone();
  const [anchor, setAnchor] = useState(() => Date.now());
  const interval = useMemo(() => resolveInterval(search, anchor, zone), [search, anchor, zone]);
  const iv = intervalString(interval);
  // The worklist's own query, its agent filter fixed to the signed-in user (a userId predicate in every query).
  const params: ListParams = useMemo(() => ({ interval: iv, media: null, queue: null, agent: userId, direction: null }), [iv, userId]);
  const analyticsOptions = conversationQueries.list(params);
  const historyOptions = myQueries.history(userId, iv);
  const analytics = useQuery({ ...analyticsOptions, enabled: ownAnalytics });
  const history = useQuery({ ...historyOptions, enabled: !ownAnalytics });
  const list = ownAnalytics ? analytics : history;
  const queues = useQuery(conversationQueries.queues());
  const codes = useQuery(conversationQueries.codes());
  const names = useMemo(() => buildNames(queues.data, undefined, codes.data), [queues.data, codes.data]);
  const labels = useLabels(names);

  // Each communication that leaves after-call work without a code is announced once.
  const announced = useRef(new Set<string>());
  const onLeft = useCallback(
    (c: OwnCommunication) => {
      if (announced.current.has(c.communicationId)) return;
      announced.current.add(c.communicationId);
      showToast({
        kind: 'warning',
        title: t('live.toastTitle'),
        body: c.endedAt !== undefined ? t('live.toastBody', { time: formatDateTime(lng, c.endedAt) }) : t('live.toastBodyNoTime'),
      });
    },
    [t, lng],
  );
  const { live, state: liveState } = useOwnLive(userId, onLeft);

  const data = list.data;
  const rows = useMemo(() => applyLive(data?.rows ?? EMPTY, live.values(), userId, anchor), [data?.rows, live, userId, anchor]);
  const liveIds = useMemo(() => new Set([...live.values()].map((c) => c.conversationId)), [live]);
  const items = useMemo(() => myItems(rows, userId), [rows, userId]);
  const shown = useMemo(() => filterMyItems(items, search.status), [items, search.status]);
  const missing = missingCount(items);
  useEffect(() => onMissingCount?.(missing), [missing, onMissingCount]);

  const refresh = () => {
    const now = Date.now();
    if (intervalString(resolveInterval(search, now, zone)) === iv) {
      void (ownAnalytics ? refreshList(queryClient, params) : queryClient.refetchQueries({ queryKey: historyOptions.queryKey, exact: true }));
    } else setAnchor(now);
  };
  const loadError = list.isError && isApiError(list.error) ? list.error : null;
  const finished = data?.phase === 'done' || data?.phase === 'cancelled';
  const truncated = !ownAnalytics && history.data?.truncated === true;

  return (
    <section aria-labelledby="page-title" className="page my-wrapups">
      <h1 id="page-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      {!ownAnalytics && (
        <div role="note" className="my-calls-only">
          <GuxInlineAlert accent="info">
            <div>
              <strong>{t('callsOnly.title')}</strong>
              <p>{t('callsOnly.body')}</p>
            </div>
          </GuxInlineAlert>
        </div>
      )}
      {canWrite === false && (
        <GuxInlineAlert accent="warning">
          <div>{t('cannotWrite')}</div>
        </GuxInlineAlert>
      )}
      <p className="muted" data-testid="interval-shown" data-start={interval.start} data-end={interval.end}>
        {t('intervalShown', { start: formatDateTime(lng, interval.start), end: formatDateTime(lng, interval.end), zone })}
      </p>
      <form className="my-filters" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
        <GuxFormFieldSelect labelPosition="above">
          <label slot="label" htmlFor="my-range">
            {t('filters.range')}
          </label>
          <select
            slot="input"
            id="my-range"
            value={search.range}
            onChange={(e) => {
              setAnchor(Date.now());
              onSearchChange({ range: e.target.value as MySearch['range'], from: undefined, to: undefined });
            }}
          >
            {RANGE_PRESETS.filter((r) => r !== 'custom' || search.range === 'custom').map((r) => (
              <option key={r} value={r}>
                {t(`conversations:range.${r}`)}
              </option>
            ))}
          </select>
          <span slot="help">{t('filters.timeZone', { zone })}</span>
        </GuxFormFieldSelect>
        <GuxFormFieldSelect labelPosition="above">
          <label slot="label" htmlFor="my-status">
            {t('filters.status')}
          </label>
          <select slot="input" id="my-status" value={search.status} onChange={(e) => onSearchChange({ status: e.target.value as MySearch['status'] })}>
            {MY_STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`statusFilter.${s}`)}
              </option>
            ))}
          </select>
        </GuxFormFieldSelect>
      </form>
      <p role="status" className="my-live" data-live={liveState.kind}>
        {liveState.kind === 'rejected' ? t('live.rejected', { reason: liveState.reason }) : t(`live.${liveState.kind === 'live' ? 'on' : liveState.kind}`)}
      </p>
      <LoadStatus
        data={data}
        fetching={list.isFetching}
        onCancel={() => (ownAnalytics ? stopLoading(analyticsOptions.queryKey) : void queryClient.cancelQueries({ queryKey: historyOptions.queryKey }))}
        onRefresh={refresh}
      />
      {list.isError && (
        <GuxInlineAlert accent="error" role="alert">
          <div>
            <strong>{t('error.title')}</strong>
            {loadError && <ErrorDetails error={loadError} />}
            <p>{t(`conversations:error.advice.${errorAdvice(loadError?.status ?? 0)}`)}</p>
          </div>
        </GuxInlineAlert>
      )}
      {truncated && <p className="muted">{t('callsOnly.truncated', { count: history.data?.rows.length ?? 0 })}</p>}
      {data && (
        <p className={missing > 0 ? 'my-summary has-missing' : 'my-summary'} data-testid="my-missing" data-count={missing}>
          {t('summary.missing', { count: missing, value: formatNumber(lng, missing) })}{' '}
          <span className="muted">{t('summary.shown', { count: items.length, value: formatNumber(lng, items.length) })}</span>
        </p>
      )}
      {data && ownAnalytics && <p className="muted my-lag">{t('summary.lag')}</p>}
      {shown.length > 0 && (
        <div className="my-table-wrap">
          <table className="my-table">
            <caption className="visually-hidden">{t('table.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.start')}</th>
                <th scope="col">{t('table.media')}</th>
                <th scope="col">{t('table.queue')}</th>
                <th scope="col">{t('table.duration')}</th>
                <th scope="col">{t('table.wrapup')}</th>
                <th scope="col">{t('table.action')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => {
                const start = formatDateTime(lng, item.row.start);
                const media = labels.media(item.participant.wrapup?.mediaType ?? item.row.media);
                const queue = item.participant.queueId ?? item.row.queueIds[0];
                const writable = isMissing(item.status) && item.media !== null && item.status === 'missing';
                const key = `${item.row.id}/${item.participant.participantId}`;
                return (
                  <tr key={key} data-conversation={item.row.id} data-participant={item.participant.participantId} data-status={item.status}>
                    <td data-label={t('table.start')}>
                      {start}
                      {liveIds.has(item.row.id) && <span className="my-new">{t('live.new')}</span>}
                    </td>
                    <td data-label={t('table.media')}>{media}</td>
                    <td data-label={t('table.queue')}>{queue ? names.queue(queue) : t('table.noQueue')}</td>
                    <td data-label={t('table.duration')}>
                      {item.row.durationMs === null ? t('table.ongoing') : formatDuration(lng, Math.round(item.row.durationMs / 1000))}
                    </td>
                    <td data-label={t('table.wrapup')} className={isMissing(item.status) ? 'my-status missing' : 'my-status'}>
                      {item.code && (item.status === 'coded' || item.status === 'system') ? labels.code(item.code) : labels.status(item.status)}
                    </td>
                    <td data-label={t('table.action')}>
                      {writable && canWrite !== false
                        ? renderApply(item, t('applyLabel', { media, start }), t('apply'))
                        : item.status === 'not-writable'
                          ? t('notWritable')
                          : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data && shown.length === 0 && finished && !list.isError && (
        <div className="my-empty" role="status">
          <strong>{t(search.status === 'missing' ? 'empty.missing' : 'empty.any')}</strong>
          <p>{t('empty.hint')}</p>
        </div>
      )}
      {!data && list.isPending && <p role="status">{t('conversations:load.starting')}</p>}
    </section>
  );
}
