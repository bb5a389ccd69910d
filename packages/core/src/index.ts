export { ConfigurationError, requireThat } from './errors.js';
