/**
 * Browser stub for `configparser`. The SDK's configuration.js reads an INI file from the home
 * directory only when `typeof window === 'undefined'` (Node); never reached in the browser.
 */
export default class ConfigParser {
  read(): never {
    throw new Error('configparser is not available in the browser build');
  }
}
