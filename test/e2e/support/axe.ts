/**
 * Accessibility checks with axe-core (the maintained engine): its axe.min.js is evaluated in the page through the
 * DevTools protocol (the tool's CSP allows no inline script, and evaluation does not need it), then axe.run().
 * Violations with impact serious or critical fail the journey; every one is printed with the page it was on.
 */
import { readFileSync } from 'node:fs';
import type { Result } from 'axe-core';
import type { Frame, Page } from 'playwright-core';

// a statement list ending in a number, so nothing large comes back from the evaluation
const AXE_SOURCE = `${readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')}\n;0`;
const FAILING_IMPACTS = new Set(['serious', 'critical']);

export interface PageViolation {
  page: string;
  url: string;
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string; html: string; summary: string }>;
}

/** A known product bug, reported and tolerated in the journeys' assertion (see the "BUG: …" tests). */
export interface KnownViolation {
  bug: string;
  id: string;
  /** Page labels (as passed to audit) the bug shows on; a regex on the label. */
  page: RegExp;
  /** Optional: only nodes whose target matches. */
  target?: RegExp;
}

export class AxeAudit {
  /** Every serious or critical violation seen, per page. */
  readonly violations: PageViolation[] = [];
  /** Moderate and minor ones: reported, never failing. */
  readonly lesser: PageViolation[] = [];
  readonly pagesAudited: string[] = [];

  constructor(private readonly known: readonly KnownViolation[] = []) {}

  /** Runs axe on the document of `target` (a page or an iframe's frame); `label` names the page in reports. */
  async audit(target: Frame | Page, label: string, options: { iframes?: boolean } = {}): Promise<PageViolation[]> {
    const hasAxe = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
    if (!hasAxe) await target.evaluate(AXE_SOURCE);
    const results = await target.evaluate(
      async (iframes) => (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, { resultTypes: ['violations'], iframes }),
      options.iframes ?? false,
    );
    this.pagesAudited.push(label);
    const all = results.violations.map((v: Result) => ({
      page: label,
      url: target.url(),
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 200),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    }));
    const found = all.filter((v) => FAILING_IMPACTS.has(v.impact));
    this.violations.push(...found);
    this.lesser.push(...all.filter((v) => !FAILING_IMPACTS.has(v.impact)));
    return found;
  }

  /** Which known bug a violation is, if any (all its nodes must match). */
  knownBugOf(v: PageViolation): KnownViolation | undefined {
    return this.known.find((k) => k.id === v.id && k.page.test(v.page) && (!k.target || v.nodes.every((n) => k.target!.test(n.target))));
  }

  /** Violations on the pages whose label matches, except the known bugs. */
  unexpected(pages: RegExp = /./): PageViolation[] {
    return this.violations.filter((v) => pages.test(v.page) && !this.knownBugOf(v));
  }

  static format(violations: readonly PageViolation[]): string {
    return violations
      .map(
        (v) =>
          `[${v.impact}] ${v.id} on "${v.page}" (${v.url.replace(/([?&]s=)[^&]+/, '$1…')}): ${v.help} — ${v.helpUrl}\n` +
          v.nodes
            .slice(0, 5)
            .map((n) => `    ${n.target}: ${n.html}\n      ${n.summary}`)
            .join('\n'),
      )
      .join('\n');
  }
}
