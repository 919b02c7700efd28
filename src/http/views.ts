import path from 'node:path';
import { Eta } from 'eta';
import type { Response } from 'express';
import { projectRoot } from '../config/paths';
import type { Locale } from '../lti/launch-context';
import { translate, type MessageKey, type MessageParams } from './i18n';

const eta = new Eta({ views: path.join(projectRoot(), 'views'), autoEscape: true, cache: true });

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

export interface PageData {
  title: string;
  locale: Locale;
  nav?: NavItem[];
  userName?: string | null;
  [key: string]: unknown;
}

/** Renders a server-side page; every template gets `t` bound to the page's locale and the CSP nonce. */
export function renderPage(res: Response, template: string, data: PageData, status = 200): void {
  const t = (key: MessageKey, params?: MessageParams) => translate(data.locale, key, params);
  const html = eta.render(template, { ...data, t, cspNonce: res.locals.cspNonce });
  res.status(status).type('html').send(html);
}
