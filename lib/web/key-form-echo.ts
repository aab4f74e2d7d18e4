import 'server-only';
import { text, texts } from './form-action';

/** The new-key and edit fields as typed, handed back on a refusal so nothing is lost. */
export const keyFormEcho = (form: FormData) => ({
  name: text(form, 'name'),
  permissions: texts(form, 'permissions'),
  ipWhitelist: text(form, 'ipWhitelist'),
  expiry: text(form, 'expiry'),
  expiresOn: text(form, 'expiresOn'),
});
