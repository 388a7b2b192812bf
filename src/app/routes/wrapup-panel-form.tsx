import { WrapupTarget } from '@/features/wrap-up/wrapup-target.tsx';
import { useWrapupWriter } from './use-wrapup-writer.ts';

/**
 * The worklist side panel's form: the wrap-up feature's single form and write path, with the same
 * auth, audit and worklist wiring as the wrap-up page. Loaded on first use (the form stack).
 */
export function WrapupPanelForm({
  conversationId,
  participantId,
  onSavedAndNext,
}: {
  conversationId: string;
  participantId: string;
  onSavedAndNext: () => void;
}) {
  const writer = useWrapupWriter();
  return <WrapupTarget conversationId={conversationId} participantId={participantId} onSavedAndNext={onSavedAndNext} {...writer} />;
}
