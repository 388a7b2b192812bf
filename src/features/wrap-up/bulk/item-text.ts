/**
 * What happened to one bulk item, in the UI's language (issue 13 item 3, issue 16 item 7). The
 * runner and planner store a stable reason code (`ItemReason`) with the item; the English `message`
 * they also write is for logs only and never shown. This turns the reason and the parameters it
 * needs (the job's code, the item's medium, attempts, the last error) into a sentence through the
 * `bulk` catalogue. The platform's own words (its error message, in English) are returned apart,
 * so that every place shows them labelled as the platform's, never as our text.
 */
import type { TFunction } from 'i18next';
import { platformValue, systemCodeText, type AnyT } from '@/lib/i18n/platform-values.ts';
import { isSystemCode, type BulkItem, type ItemError } from './model.ts';

/** The fields of an item the text depends on. */
export type ItemTextItem = Pick<BulkItem, 'status' | 'reason' | 'mediaType' | 'attempts' | 'unknownOutcome' | 'lastError' | 'observed'>;

export interface ItemTextContext {
  /** The name of the code the job writes. */
  codeName: string;
  /** When the platform check learned the refusal rule that skipped `platform-refuses` items (ISO time), if known. */
  learnedAt?: string | null;
  /** Formats that time in the UI's language. */
  formatTime?: (iso: string) => string;
}

export interface PlatformWordsOf {
  /** `status code: message` as the platform (or, without an answer, the browser) gave it. */
  text: string;
  /** `platform`: an HTTP answer; `technical`: no answer (network, timeout), the browser's words. */
  source: 'platform' | 'technical';
}

export interface ItemText {
  /** Our sentence, in the UI's language. */
  text: string;
  /** The platform's own message, to be shown labelled as such, or null. */
  platform: PlatformWordsOf | null;
}

/** The last error as the platform said it: "400 bad.request: Code not allowed". */
export function platformWordsOf(error: ItemError | null): PlatformWordsOf | null {
  if (!error) return null;
  const head = error.status > 0 ? `${error.status} ${error.code}` : error.code;
  return { text: error.message ? `${head}: ${error.message}` : head, source: error.status > 0 ? 'platform' : 'technical' };
}

/** The bulk `t` (the `common:` words are reached with their prefix). */
type BulkT = TFunction<'bulk'>;

/** Our sentence for an item, and the platform's words when its outcome came from them. */
export function itemText(t: BulkT, item: ItemTextItem, ctx: ItemTextContext): ItemText {
  // One loosely typed view of `t` for the `common:` helpers; the keys below stay checked.
  const any = t as unknown as AnyT;
  const code = ctx.codeName;
  const failed = (text: string): ItemText => ({ text, platform: platformWordsOf(item.lastError) });
  const plain = (text: string): ItemText => ({ text, platform: null });
  if (item.reason === null) {
    switch (item.status) {
      case 'applied':
        return plain(t('itemText.applied', { code }));
      case 'pending':
        return plain(t('itemText.pending'));
      case 'in-flight':
        return plain(t('itemText.inFlight'));
      default:
        // A terminal state without a reason: nothing more to say than the outcome column does.
        return item.lastError ? failed(t('itemText.failed')) : plain('');
    }
  }
  switch (item.reason) {
    case 'active':
      return plain(t('itemText.active'));
    case 'unanswered':
      return plain(t('itemText.unanswered'));
    case 'chat-removed':
      return plain(t('itemText.chatRemoved'));
    case 'no-write-path':
      return plain(t('itemText.noWritePath', { media: platformValue(any, 'media', item.mediaType) }));
    case 'code-not-allowed':
      return plain(t('itemText.codeNotAllowed', { code }));
    case 'system-coded': {
      const seen = item.observed.codeId;
      return plain(seen && isSystemCode(seen) ? t('itemText.systemCoded', { existing: systemCodeText(any, seen) }) : t('itemText.systemCodedUnknown'));
    }
    case 'coded':
      return plain(t('itemText.coded'));
    case 'same-code':
      return plain(t('itemText.sameCode', { code }));
    case 'coded-during-run':
      return plain(t('itemText.codedDuringRun'));
    case 'refused':
      return failed(t('itemText.refused'));
    case 'attempts-exhausted':
      return failed(t('itemText.attemptsExhausted', { count: item.attempts }));
    case 'unverified':
      return failed(item.unknownOutcome ? t('itemText.unverifiedUnknown') : t('itemText.unverified'));
    case 'stopped':
      return plain(t('itemText.stopped'));
    case 'platform-refuses':
      return plain(
        ctx.learnedAt
          ? t('itemText.platformRefusesSince', { when: ctx.formatTime ? ctx.formatTime(ctx.learnedAt) : ctx.learnedAt })
          : t('itemText.platformRefuses'),
      );
    case 'like-refused':
      return plain(t('itemText.likeRefused'));
  }
}
