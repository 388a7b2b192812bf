/** Translated labels for platform values (media, purposes, states, statuses, codes). */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { codeLabel, type Names } from './names.ts';
import type { AcwState, ParticipantState, WrapupStatus } from './wrapup-status.ts';

const KNOWN_MEDIA = new Set(['voice', 'callback', 'email', 'message', 'chat']);
const KNOWN_PURPOSES = new Set(['customer', 'external', 'agent', 'user', 'acd', 'ivr', 'workflow', 'voicemail', 'station', 'outbound']);
const KNOWN_DIRECTIONS = new Set(['inbound', 'outbound']);

export function useLabels(names: Names) {
  const { t } = useTranslation('conversations');
  const media = useCallback((m: string) => (KNOWN_MEDIA.has(m) ? t(`media.${m as 'voice'}`) : m), [t]);
  const purpose = useCallback((p: string) => (KNOWN_PURPOSES.has(p) ? t(`purpose.${p as 'agent'}`) : p), [t]);
  const direction = useCallback((d: string) => (KNOWN_DIRECTIONS.has(d) ? t(`direction.${d as 'inbound'}`) : d), [t]);
  const status = useCallback((s: WrapupStatus) => t(`status.${s}`), [t]);
  const acw = useCallback((a: AcwState) => t(`acw.${a}`), [t]);
  const code = useCallback(
    (c: string) => {
      const l = codeLabel(c, names);
      switch (l.kind) {
        case 'timeout':
          return t('code.timeout');
        case 'outbound':
          return t('code.outbound', { detail: l.detail });
        case 'system':
          return t('code.system', { code: l.code });
        case 'named':
          return l.name;
        case 'unknown':
          return t('code.unknown', { id: l.id });
      }
    },
    [names, t],
  );
  /** What the wrap-up column says for one agent participant. */
  const wrapup = useCallback(
    (p: ParticipantState) => {
      const w = p.wrapup;
      if (!w) return '';
      if ((w.status === 'coded' || w.status === 'system') && w.code) return code(w.code);
      return status(w.status);
    },
    [code, status],
  );
  /** The compact one-line state of any participant: "Agent Anna: disconnected, ACW pending". */
  const participant = useCallback(
    (p: ParticipantState) =>
      t('participantSummary', {
        purpose: purpose(p.purpose),
        name: p.name || purpose(p.purpose),
        state: t(`commState.${p.state}`),
        acw: p.acw === 'none' ? '' : t('participantAcw', { acw: acw(p.acw) }),
        wrapup: p.wrapup ? t('participantWrapup', { wrapup: wrapup(p) }) : '',
      }),
    [acw, purpose, t, wrapup],
  );
  return useMemo(() => ({ media, purpose, direction, status, acw, code, wrapup, participant }), [media, purpose, direction, status, acw, code, wrapup, participant]);
}

export type Labels = ReturnType<typeof useLabels>;
