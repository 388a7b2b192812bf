/** Translated labels for platform values (media, purposes, states, statuses, codes). */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { platformValue, systemCodeText } from '@/lib/i18n/platform-values.ts';
import { codeLabel, type Names } from './names.ts';
import type { AcwState, ParticipantState, WrapupStatus } from './wrapup-status.ts';

export function useLabels(names: Names) {
  const { t } = useTranslation(['conversations', 'common']);
  // Platform values say the same word on every screen: the words live in common.json (`value.*`).
  const media = useCallback((m: string) => platformValue(t, 'media', m), [t]);
  const purpose = useCallback((p: string) => platformValue(t, 'purpose', p), [t]);
  const direction = useCallback((d: string) => platformValue(t, 'direction', d), [t]);
  const status = useCallback((s: WrapupStatus) => t(`status.${s}`), [t]);
  const acw = useCallback((a: AcwState) => platformValue(t, 'acwState', a), [t]);
  const code = useCallback(
    (c: string) => {
      const l = codeLabel(c, names);
      switch (l.kind) {
        case 'timeout':
        case 'outbound':
        case 'system':
          return systemCodeText(t, c);
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
        state: platformValue(t, 'communicationState', p.state === 'active' ? 'connected' : p.state),
        acw: p.acw === 'none' ? '' : t('participantAcw', { acw: acw(p.acw) }),
        wrapup: p.wrapup ? t('participantWrapup', { wrapup: wrapup(p) }) : '',
      }),
    [acw, purpose, t, wrapup],
  );
  return useMemo(
    () => ({ media, purpose, direction, status, acw, code, wrapup, participant }),
    [media, purpose, direction, status, acw, code, wrapup, participant],
  );
}

export type Labels = ReturnType<typeof useLabels>;
