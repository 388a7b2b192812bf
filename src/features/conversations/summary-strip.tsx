/**
 * The worklist's summary strip (issue 16 item 3, issue 18 item 3): missing wrap-ups per agent (with
 * how old the oldest is) and per queue, each a filter of the list (the worklist's own URL filters:
 * `agent`, `queue`, status "missing"; pressed again, the filter is taken off). Per agent, "Nudge"
 * asks the agent by chat message to fix their own (see nudge-dialog.tsx). The platform check's
 * verdict, through the route, decides which of "fix it yourself" and "ask the agent" comes first.
 *
 * Zero and a list still loading are neutral; only a finished count above zero is marked.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import type { Models } from '@/lib/genesys/sdk.ts';
import { formatDateTime, formatNumber } from '@/lib/i18n/format.ts';
import { agentOptionLabels, type SearchPatch } from './filters-bar.tsx';
import type { WorklistSearch } from './filters.ts';
import type { Names } from './names.ts';
import type { NudgeSetup } from './nudge.ts';
import { NudgeDialog, type NudgeTarget } from './nudge-dialog.tsx';
import { nextNudgeAt, nudgeStorageKey, useNudgeLog } from './nudge-limit.ts';
import { ageOf, summarizeMissing, type AgentMissing } from './summary-counts.ts';
import type { AgentScope, ConversationRow } from './wrapup-status.ts';

import './summary-strip.css';

/** Agents shown before "Show all": the ones with the most missing. */
const FIRST_AGENTS = 8;
const FIRST_QUEUES = 12;

export interface SummaryStripProps {
  /** Every loaded row (not the status-filtered ones): the strip counts what is missing among them. */
  rows: readonly ConversationRow[];
  scope: AgentScope;
  /** The list is still loading: counts are partial and shown neutral. */
  loading: boolean;
  search: Pick<WorklistSearch, 'agent' | 'queue' | 'status'>;
  onSearchChange: (patch: SearchPatch) => void;
  names: Names;
  users: readonly Pick<Models.User, 'id' | 'name' | 'email'>[] | undefined;
  /** Absent: no nudging on this page (the route did not compose it). */
  nudge?: NudgeSetup | undefined;
}

/** A time of day: a nudge's limit spans an hour, so the date adds nothing but length (the full date is in the title). */
function formatTime(lng: string, at: number): string {
  return new Intl.DateTimeFormat(lng, { timeStyle: 'short' }).format(new Date(at));
}

/** The time ages and nudge limits are measured against, moved on every 30 s (ages in minutes, limits end on time). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

export function SummaryStrip({ rows, scope, loading, search, onSearchChange, names, users, nudge }: SummaryStripProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  const n = (v: number) => formatNumber(lng, v);
  const summary = useMemo(() => summarizeMissing(rows, scope), [rows, scope]);
  const labels = useMemo(() => new Map(agentOptionLabels(users ?? []).map((u) => [u.id, u.label])), [users]);
  const [allAgents, setAllAgents] = useState(false);
  const [allQueues, setAllQueues] = useState(false);
  const [nudging, setNudging] = useState<{ target: NudgeTarget; text: string } | null>(null);
  // After the dialog closes, focus returns to the agent's row: to Nudge, or (disabled after a send)
  // to the agent's filter button, never to the page's start.
  const focusRow = useRef<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focusRow.current || nudging) return;
    const row = sectionRef.current?.querySelector(`tr[data-user-id="${CSS.escape(focusRow.current)}"]`);
    const buttons = [...(row?.querySelectorAll('button') ?? [])].filter((b) => !b.disabled);
    buttons[buttons.length - 1]?.focus();
    focusRow.current = null;
  });
  const { log, record } = useNudgeLog(nudge ? nudgeStorageKey(nudge.owner) : null);
  const now = useNow();

  const nudgeFirst = nudge?.suggestFirst === 'nudge';
  const marked = !loading && summary.total > 0;
  const agentLabel = (a: AgentMissing) => (a.userId ? (labels.get(a.userId) ?? a.name) : a.name) || t('strip.unnamed');
  const agents = allAgents ? summary.agents : summary.agents.slice(0, FIRST_AGENTS);
  const queues = allQueues ? summary.queues : summary.queues.slice(0, FIRST_QUEUES);

  const filterAgent = (userId: string) => onSearchChange(search.agent === userId ? { agent: undefined } : { agent: userId, status: 'missing' });
  const filterQueue = (queueId: string) => onSearchChange(search.queue === queueId ? { queue: undefined } : { queue: queueId, status: 'missing' });

  const openNudge = (a: AgentMissing & { userId: string }) => {
    const label = agentLabel(a);
    const name = (users?.find((u) => u.id === a.userId)?.name ?? a.name) || label;
    const text = t('nudge.message', { count: a.missing, value: n(a.missing), name, oldest: formatDateTime(lng, a.oldestStart), link: nudge?.appLink ?? '' });
    setNudging({ target: { userId: a.userId, label, missing: a.missing }, text });
  };

  return (
    <section ref={sectionRef} className="summary-strip" aria-labelledby="strip-title" data-testid="summary-strip">
      <div className="strip-head">
        <h2 id="strip-title">{t('strip.title')}</h2>
        <span className={marked ? 'strip-total marked' : 'strip-total'} data-testid="strip-total">
          {loading
            ? t('strip.totalLoading', { count: summary.total, value: n(summary.total) })
            : t('strip.total', { count: summary.total, value: n(summary.total) })}
        </span>
      </div>
      {nudge && summary.total > 0 && (
        <p className="strip-suggestion" data-testid="strip-suggestion" data-first={nudge.suggestFirst}>
          <strong>{nudgeFirst ? t('strip.suggestNudge') : t('strip.suggestFix')}</strong>{' '}
          {nudge.reason?.kind === 'refused'
            ? t('strip.reasonRefused', { date: formatDateTime(lng, nudge.reason.learnedAt) })
            : nudge.reason?.kind === 'no-write'
              ? t('strip.reasonNoWrite')
              : t('strip.reasonNone')}
        </p>
      )}
      {nudge?.canSend === false && summary.total > 0 && (
        <p className="muted">{t('nudge.noPermission', { permissions: nudge.sendPermissions.join(t('nudge.or')) })}</p>
      )}
      {summary.total > 0 && (
        <div className="strip-groups">
          <div className="strip-group">
            <table className="strip-agents">
              <caption>{t('strip.perAgent', { count: summary.agents.length, value: n(summary.agents.length) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('strip.agent')}</th>
                  <th scope="col" className="num">
                    {t('strip.missing')}
                  </th>
                  <th scope="col">{t('strip.oldest')}</th>
                  {nudge && <th scope="col">{t('strip.ask')}</th>}
                </tr>
              </thead>
              <tbody>
                {agents.map((a) => {
                  const label = agentLabel(a);
                  const age = ageOf(now - a.oldestStart);
                  const sentAt = a.userId ? log[a.userId] : undefined;
                  const next = nextNudgeAt(sentAt, now);
                  return (
                    <tr key={a.userId ?? `name:${a.name}`} data-testid="strip-agent" data-user-id={a.userId ?? ''}>
                      <th scope="row">
                        {a.userId ? (
                          <button type="button" className="strip-filter" aria-pressed={search.agent === a.userId} onClick={() => filterAgent(a.userId!)}>
                            {label}
                          </button>
                        ) : (
                          label
                        )}
                      </th>
                      <td className="num" data-testid="strip-agent-missing">
                        {n(a.missing)}
                      </td>
                      <td title={formatDateTime(lng, a.oldestStart)}>{t(`strip.age.${age.unit}`, { count: age.value, value: n(age.value) })}</td>
                      {nudge && (
                        <td>
                          <div className="strip-nudge">
                            {a.userId && (
                              <Button
                                accent={nudgeFirst ? 'primary' : 'secondary'}
                                disabled={nudge.canSend !== true || next !== null}
                                aria-label={t('nudge.buttonFor', { name: label })}
                                aria-describedby={next !== null ? `nudge-limited-${a.userId}` : undefined}
                                onClick={() => openNudge(a as AgentMissing & { userId: string })}
                              >
                                {t('nudge.button')}
                              </Button>
                            )}
                            {a.userId && next !== null && (
                              <span
                                className="muted nudge-limited"
                                id={`nudge-limited-${a.userId}`}
                                data-testid="nudge-limited"
                                title={formatDateTime(lng, next)}
                              >
                                {t('nudge.limited', { sent: formatTime(lng, sentAt!), next: formatTime(lng, next) })}
                              </span>
                            )}
                          </div>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {summary.agents.length > FIRST_AGENTS && (
              <Button accent="ghost" aria-expanded={allAgents} onClick={() => setAllAgents((v) => !v)}>
                {allAgents ? t('strip.fewerAgents') : t('strip.allAgents', { count: summary.agents.length, value: n(summary.agents.length) })}
              </Button>
            )}
          </div>
          <div className="strip-group">
            <h3 id="strip-queues">{t('strip.perQueue', { count: summary.queues.length, value: n(summary.queues.length) })}</h3>
            <ul className="strip-queues" aria-labelledby="strip-queues">
              {queues.map((q) => {
                const name = q.queueId ? names.queue(q.queueId) : t('strip.noQueue');
                const count = <span className="strip-count">{n(q.missing)}</span>;
                return (
                  <li key={q.queueId ?? ''} data-testid="strip-queue" data-queue-id={q.queueId ?? ''}>
                    {q.queueId ? (
                      <button type="button" className="strip-filter" aria-pressed={search.queue === q.queueId} onClick={() => filterQueue(q.queueId!)}>
                        {name} {count}
                      </button>
                    ) : (
                      <span>
                        {name} {count}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
            {summary.queues.length > FIRST_QUEUES && (
              <Button accent="ghost" aria-expanded={allQueues} onClick={() => setAllQueues((v) => !v)}>
                {allQueues ? t('strip.fewerQueues') : t('strip.allQueues', { count: summary.queues.length, value: n(summary.queues.length) })}
              </Button>
            )}
          </div>
        </div>
      )}
      {nudging && nudge && (
        <NudgeDialog
          target={nudging.target}
          initialText={nudging.text}
          sendPermissions={nudge.sendPermissions}
          onSent={record}
          onClose={() => {
            focusRow.current = nudging.target.userId;
            setNudging(null);
          }}
        />
      )}
    </section>
  );
}
