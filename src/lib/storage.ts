/**
 * Web Storage failures: a full quota (`QuotaExceededError`, legacy code 22, Firefox's
 * `NS_ERROR_DOM_QUOTA_REACHED`) or storage blocked by the browser's settings (`SecurityError`).
 */
export function isStorageFailure(e: unknown): boolean {
  if (!(e instanceof DOMException)) return false;
  return e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED' || e.code === 22 || e.name === 'SecurityError';
}
