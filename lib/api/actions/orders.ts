import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listOrders } from '@/lib/ledger/history';
import { findPairByName } from '@/lib/ledger/market';
import { placeOrder } from '@/lib/ledger/orders';
import { cancelAllOrders, cancelOrder } from '@/lib/ledger/resting-orders';
import { balanceCache } from '@/lib/ledger/balance-cache';
import { defineAction } from '@/lib/api/action';
import {
  amountParam,
  clientIdParam,
  currencyParam,
  dateParam,
  noControlChars,
  pageParams,
  pairParam,
  sideParam,
  subAccountParam,
} from '@/lib/api/params';

const orderIdParam = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/, 'must be a number')])
  .transform(Number);
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

const exampleOrder = {
  orderId: '17',
  clientOrderId: 'demo-limit-1',
  clientId: '6f1c2a4e-0000-4000-8000-000000000001',
  accountId: '',
  status: 'NEW',
  statusIsFinal: false,
  currency1: 'BTC',
  currency2: 'USD',
  side: 'BUY',
  orderType: 'Limit',
  timeInForce: 'GTC',
  comment: null,
  rejectCode: null,
  rejectReason: null,
  initialOnHoldAmountCcy1: null,
  initialOnHoldAmountCcy2: '500.00',
  executedAmountCcy1: '0.00000000',
  executedAmountCcy2: '0.00',
  requestedAmountCcy1: '0.01000000',
  requestedAmountCcy2: null,
  feeAmount: null,
  feeCurrency: null,
  price: '50000',
  stopPrice: null,
  averagePrice: null,
  serverCreateTimestamp: 1732500000123,
  lastUpdateTimestamp: 1732500000123,
  expireTime: null,
  effectiveTime: null,
};

const exampleReport = {
  messageType: 'executionReport',
  ...exampleOrder,
  executionType: 'New',
  executionId: '17-new',
  transactTime: '2024-11-25T02:00:00.123Z',
  lastAmountCcy1: null,
  lastAmountCcy2: null,
};

const newOrderParams = z
  .object({
    clientOrderId: clientIdParam.optional(),
    accountId: subAccountParam.default(''),
    currency1: currencyParam,
    currency2: currencyParam,
    side: sideParam,
    orderType: z
      .string()
      .transform((s) => (s.toLowerCase() === 'stoplimit' ? 'StopLimit' : capitalized(s)))
      .pipe(z.enum(['Market', 'Limit', 'StopLimit'])),
    timeInForce: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(['GTC', 'IOC', 'FOK', 'GTD']))
      .optional(),
    amountCcy1: amountParam.optional(),
    amountCcy2: amountParam.optional(),
    price: amountParam.optional(),
    stopPrice: amountParam.optional(),
    expireTime: dateParam.optional(),
    comment: z.string({ error: 'must be a string' }).max(255).regex(noControlChars, 'must not contain control characters').optional(),
    timestamp: z.number().optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.orderType === 'Market') {
      if (p.amountCcy1 === undefined && p.amountCcy2 === undefined) issue('amountCcy1', 'either amountCcy1 or amountCcy2 is required');
      if (p.amountCcy1 !== undefined && p.amountCcy2 !== undefined) issue('amountCcy2', 'give either amountCcy1 or amountCcy2, not both');
      if (p.timeInForce !== undefined && p.timeInForce !== 'IOC' && p.timeInForce !== 'FOK')
        issue('timeInForce', 'a Market order is IOC or FOK');
    } else {
      if (p.amountCcy1 === undefined) issue('amountCcy1', `required for a ${p.orderType} order`);
      if (p.price === undefined) issue('price', `required for a ${p.orderType} order`);
      if (p.amountCcy2 !== undefined) issue('amountCcy2', `not supported for a ${p.orderType} order; use amountCcy1`);
    }
    if (p.orderType === 'StopLimit' && p.stopPrice === undefined) issue('stopPrice', 'required for a StopLimit order');
    if (p.orderType !== 'StopLimit' && p.stopPrice !== undefined) issue('stopPrice', 'only for a StopLimit order');
    if (p.orderType === 'StopLimit' && (p.timeInForce === 'IOC' || p.timeInForce === 'FOK'))
      issue('timeInForce', 'a StopLimit order rests: GTC or GTD');
    if (p.timeInForce === 'GTD' && p.expireTime === undefined) issue('expireTime', 'required with timeInForce GTD');
    if (p.timeInForce !== 'GTD' && p.expireTime !== undefined) issue('expireTime', 'only with timeInForce GTD');
  });

/** Orders: list, place, cancel (CEX.IO's order actions). */
export const orderActions = [
  defineAction({
    name: 'get_my_orders',
    permission: 'read',
    mutating: false,
    params: z.object({
      accountId: subAccountParam.optional(),
      orderId: orderIdParam.optional(),
      clientOrderId: clientIdParam.optional(),
      pair: pairParam.optional(),
      side: sideParam.optional(),
      archived: z.boolean().optional(),
      serverCreateTimestampFrom: dateParam.optional(),
      serverCreateTimestampTo: dateParam.optional(),
      ...pageParams,
      // CEX.IO numbers the pages of get_my_orders from 0 (the history actions from 1).
      pageNumber: z.number().int().min(0).max(1_000_000).default(0),
    }),
    summary:
      'Your orders, newest first: resting ones by default, final ones (filled, cancelled, rejected) with archived: true; an orderId or clientOrderId finds an order in either. pageNumber counts from 0; pageSize ≤ 1000 (default 100).',
    exampleParams: { pair: 'BTC-USD', archived: true, pageSize: 10 },
    exampleResponse: [
      {
        ...exampleOrder,
        orderId: '16',
        clientOrderId: 'demo-market-1',
        status: 'FILLED',
        statusIsFinal: true,
        orderType: 'Market',
        timeInForce: 'IOC',
        initialOnHoldAmountCcy2: null,
        executedAmountCcy1: '0.01000000',
        executedAmountCcy2: '600.30',
        feeAmount: '0.00002500',
        feeCurrency: 'BTC',
        price: null,
        averagePrice: '60030',
      },
    ],
    handler: ({ db, accountId }, p) => {
      const pair = p.pair ? findPairByName(p.pair) : undefined;
      // Bots poll their orders: the answer is kept in memory until the account's orders change.
      return balanceCache().readOrders(db, accountId, JSON.stringify(p), () =>
        listOrders(db, accountId, {
          ...p,
          pageNumber: p.pageNumber + 1,
          subAccount: p.accountId,
          currency1: pair?.base,
          currency2: pair?.quote,
          dateFrom: p.serverCreateTimestampFrom,
          dateTo: p.serverCreateTimestampTo,
        }),
      );
    },
  }),
  defineAction({
    name: 'do_my_new_order',
    permission: 'trade',
    mutating: true,
    // The call's claim on its signature is made in the order's own transaction (lib/ledger/orders.ts).
    claimsOwnReplay: true,
    params: newOrderParams,
    summary:
      "Places an order. Market orders fill at once against the order book (amountCcy1: amount of currency1; or amountCcy2: amount of currency2 to spend on a BUY or receive on a SELL), paying the taker fee in the currency received. Limit orders take amountCcy1 and price: with timeInForce IOC they take the book's levels at their price or better at once and the rest expires, FOK fills whole or expires with nothing moved; GTC (the default) and GTD (with expireTime, in ms or ISO 8601) rest with their funds on hold until cancelled or expired (the demo book does not match resting orders). StopLimit orders (amountCcy1, price, stopPrice) rest the same way. comment (up to 255 characters) is kept and returned. The same clientOrderId again returns the original order. An order the account cannot afford, outside the pair's minimum or maximum, or beyond the book's liquidity is answered ok with status REJECTED, rejectCode (1 insufficient funds, 2 amount out of range, 3 insufficient liquidity) and rejectReason, and pushed as a Rejected executionReport; malformed params answer 422.",
    exampleParams: {
      clientOrderId: 'demo-limit-1',
      accountId: '',
      currency1: 'BTC',
      currency2: 'USD',
      side: 'BUY',
      orderType: 'Limit',
      amountCcy1: '0.01',
      price: '50000',
    },
    exampleResponse: exampleReport,
    handler: async ({ db, accountId, apiKeyId, now, once }, p) => {
      const { report } = await placeOrder(
        db,
        { accountId, apiKeyId, now },
        {
          subAccount: p.accountId,
          clientOrderId: p.clientOrderId ?? randomUUID(),
          currency1: p.currency1,
          currency2: p.currency2,
          side: p.side,
          orderType: p.orderType,
          timeInForce: p.timeInForce,
          amountCcy1: p.amountCcy1,
          amountCcy2: p.amountCcy2,
          price: p.price,
          stopPrice: p.stopPrice,
          expireTime: p.expireTime,
          comment: p.comment,
        },
        once,
      );
      return report;
    },
  }),
  defineAction({
    name: 'do_cancel_my_order',
    permission: 'trade',
    mutating: true,
    params: z
      .object({
        orderId: orderIdParam.optional(),
        clientOrderId: clientIdParam.optional(),
        cancelRequestId: z.string().max(64).optional(),
        timestamp: z.number().optional(),
      })
      .refine((p) => p.orderId !== undefined || p.clientOrderId !== undefined, {
        message: 'orderId or clientOrderId is required',
        path: ['orderId'],
      }),
    summary:
      'Cancels a resting order by orderId or clientOrderId and releases its funds on hold. Cancelling an already cancelled order answers with it again.',
    exampleParams: { clientOrderId: 'demo-limit-1' },
    exampleResponse: { ...exampleReport, status: 'CANCELLED', statusIsFinal: true, executionType: 'Canceled', executionId: '17-canceled' },
    handler: async ({ db, accountId, apiKeyId, now }, p) => cancelOrder(db, { accountId, apiKeyId, now }, p),
  }),
  defineAction({
    name: 'do_cancel_all_orders',
    permission: 'trade',
    mutating: true,
    params: z.object({ accountId: subAccountParam.optional(), pair: pairParam.optional() }),
    summary: 'Cancels every resting order (optionally of one sub-account or pair) and releases the funds on hold.',
    exampleParams: {},
    exampleResponse: { clientOrderIds: ['demo-limit-1'] },
    handler: async ({ db, accountId, apiKeyId, now }, p) => {
      const pair = p.pair ? findPairByName(p.pair) : undefined;
      return cancelAllOrders(db, { accountId, apiKeyId, now }, { subAccount: p.accountId, currency1: pair?.base, currency2: pair?.quote });
    },
  }),
];
