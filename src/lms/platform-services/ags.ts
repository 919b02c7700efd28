import { AppError } from '../../errors.js';
import { PlatformErrorCode } from './error-codes.js';
import { badResponse, parseJsonBody, type PlatformResponse } from './http.js';
import { collectPages } from './paging.js';
import { authorizedRequest, type ServiceContext } from './service-context.js';
import { appendPathSegment, optionalPositiveInt, parseHttpUrl, withQuery } from './urls.js';

export const AGS_SCOPE_LINEITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
export const AGS_SCOPE_LINEITEM_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly';
export const AGS_SCOPE_RESULT_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly';
export const AGS_SCOPE_SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

export const AGS_MEDIA_TYPES = {
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

export interface NewLineItem {
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export interface LineItem extends NewLineItem {
  /** The line item URL; pass it to getResults/postScore. May carry a query (Moodle: `?type_id=1`). */
  id: string;
  /** Moodle adds this (same value as resourceLinkId). */
  ltiLinkId?: string;
  [extension: string]: unknown;
}

export interface Result {
  id?: string;
  /** The line item URL this result belongs to. */
  scoreOf: string;
  userId: string;
  /** Moodle rescales to the line item's scoreMaximum (8/10 on a max-100 item reads 80). */
  resultScore?: number;
  resultMaximum?: number;
  comment?: string;
  /** Moodle adds the grade's modification time. */
  timestamp?: string;
  [extension: string]: unknown;
}

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

/** A score as accepted by postScore: `timestamp` defaults to the client's clock. */
export interface ScoreInput {
  userId: string;
  activityProgress: ActivityProgress;
  gradingProgress: GradingProgress;
  /** ISO 8601 with sub-second precision. */
  timestamp?: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  submission?: { startedAt?: string; submittedAt?: string };
  [extension: string]: unknown;
}

/** The AGS score document as sent to the platform. */
export interface Score extends ScoreInput {
  timestamp: string;
}

export interface ListLineItemsOptions {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  /** Page size; all pages are read anyway (following Moodle's repaired Link header). */
  limit?: number;
}

export interface GetResultsOptions {
  userId?: string;
}

export interface AgsClient {
  listLineItems(lineItemsUrl: string, options?: ListLineItemsOptions): Promise<LineItem[]>;
  getLineItem(lineItemUrl: string): Promise<LineItem>;
  createLineItem(lineItemsUrl: string, lineItem: NewLineItem): Promise<LineItem>;
  getResults(lineItemUrl: string, options?: GetResultsOptions): Promise<Result[]>;
  postScore(lineItemUrl: string, score: ScoreInput): Promise<void>;
}

const invalid = (message: string) => new AppError(PlatformErrorCode.INVALID_ARGUMENT, message, { status: 500 });

function asLineItem(value: unknown, res: PlatformResponse): LineItem {
  if (!value || typeof value !== 'object' || typeof (value as Record<string, unknown>)['id'] !== 'string') {
    throw badResponse(res, 'line item without id');
  }
  return value as LineItem;
}

function asArray(body: unknown, res: PlatformResponse, what: string): unknown[] {
  if (!Array.isArray(body)) throw badResponse(res, `${what} is not a JSON array`);
  return body;
}

function asResult(value: unknown, res: PlatformResponse): Result {
  if (!value || typeof value !== 'object') throw badResponse(res, 'result is not an object');
  const r = value as Record<string, unknown>;
  if (typeof r['userId'] !== 'string' && typeof r['userId'] !== 'number') throw badResponse(res, 'result without userId');
  return { ...(r as Result), userId: String(r['userId']) };
}

function validateNewLineItem(item: NewLineItem): void {
  if (typeof item.label !== 'string' || item.label.trim() === '') throw invalid('line item label is required');
  if (typeof item.scoreMaximum !== 'number' || !(item.scoreMaximum > 0)) throw invalid('line item scoreMaximum must be > 0');
}

function validateScore(score: ScoreInput): void {
  if (!score.userId) throw invalid('score userId is required');
  if (!score.activityProgress) throw invalid('score activityProgress is required');
  if (!score.gradingProgress) throw invalid('score gradingProgress is required');
  if (score.scoreGiven !== undefined) {
    if (typeof score.scoreGiven !== 'number' || score.scoreGiven < 0) throw invalid('scoreGiven must be a number >= 0');
    if (typeof score.scoreMaximum !== 'number' || !(score.scoreMaximum > 0)) throw invalid('scoreMaximum (> 0) is required with scoreGiven');
  }
}

export function createAgsClient(ctx: ServiceContext): AgsClient {
  return {
    async listLineItems(lineItemsUrl, options = {}) {
      const firstUrl = withQuery(parseHttpUrl(lineItemsUrl, 'lineitems URL'), {
        resource_link_id: options.resourceLinkId,
        resource_id: options.resourceId,
        tag: options.tag,
        limit: optionalPositiveInt(options.limit, 'limit'),
      });
      return collectPages<LineItem>(ctx, {
        firstUrl,
        scopes: [AGS_SCOPE_LINEITEM_READONLY],
        accept: AGS_MEDIA_TYPES.lineItemContainer,
        extract: (body, res) => asArray(body, res, 'line item container').map((v) => asLineItem(v, res)),
      });
    },

    async getLineItem(lineItemUrl) {
      const url = parseHttpUrl(lineItemUrl, 'line item URL');
      const res = await authorizedRequest(ctx, [AGS_SCOPE_LINEITEM_READONLY], {
        method: 'GET',
        url: url.href,
        accept: AGS_MEDIA_TYPES.lineItem,
      });
      return asLineItem(parseJsonBody(res), res);
    },

    async createLineItem(lineItemsUrl, lineItem) {
      validateNewLineItem(lineItem);
      const url = parseHttpUrl(lineItemsUrl, 'lineitems URL');
      const res = await authorizedRequest(ctx, [AGS_SCOPE_LINEITEM], {
        method: 'POST',
        url: url.href,
        accept: AGS_MEDIA_TYPES.lineItem,
        contentType: AGS_MEDIA_TYPES.lineItem,
        body: JSON.stringify(lineItem),
      });
      return asLineItem(parseJsonBody(res), res);
    },

    async getResults(lineItemUrl, options = {}) {
      // `…/lineitem?type_id=1` → `…/lineitem/results?type_id=1`. Never send `limit`: Moodle 4.5 answers
      // an HTML 404 to results?limit=…, so a stray one copied from a URL is removed as well.
      const resultsUrl = appendPathSegment(lineItemUrl, 'results');
      resultsUrl.searchParams.delete('limit');
      resultsUrl.searchParams.delete('from');
      return collectPages<Result>(ctx, {
        firstUrl: withQuery(resultsUrl, { user_id: options.userId }),
        scopes: [AGS_SCOPE_RESULT_READONLY],
        accept: AGS_MEDIA_TYPES.resultContainer,
        extract: (body, res) => asArray(body, res, 'result container').map((v) => asResult(v, res)),
      });
    },

    async postScore(lineItemUrl, score) {
      validateScore(score);
      const body: Score = { ...score, timestamp: score.timestamp ?? new Date(ctx.now()).toISOString() };
      // Moodle answers 200 with an EMPTY body (Content-Type score+json): any 2xx is success, the body is ignored.
      await authorizedRequest(ctx, [AGS_SCOPE_SCORE], {
        method: 'POST',
        url: appendPathSegment(lineItemUrl, 'scores').href,
        contentType: AGS_MEDIA_TYPES.score,
        body: JSON.stringify(body),
      });
    },
  };
}
