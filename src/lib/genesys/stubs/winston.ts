/**
 * Browser stub for `winston`. The SDK's logger.js calls `require('winston')` only when
 * `typeof window === 'undefined'` (Node), so in the browser this module is never used; aliasing it
 * here keeps winston and its Node dependencies out of the bundle.
 */
const unavailable = (): never => {
  throw new Error('winston is not available in the browser build');
};
export default { createLogger: unavailable, transports: {}, format: {} };
