import { z } from 'zod';
import { tradedVolumeUsd, VOLUME_PERIOD_DAYS } from '@/lib/ledger/history';
import { CURRENCIES, MAKER_FEE_PERCENT, PAIRS, TAKER_FEE_PERCENT, pairName } from '@/lib/ledger/market';
import { defineAction } from '@/lib/api/action';
import { pairParam, subAccountParam } from '@/lib/api/params';

const pairsParam = z.array(pairParam).max(100).optional();
const selectedPairs = (pairs?: string[]) => PAIRS.filter((p) => !pairs || pairs.includes(pairName(p)));

/** What trading costs and allows: conditions per pair, fees, the fee schedule, traded volume. */
export const tradingActions = [
  defineAction({
    name: 'get_my_trading_conditions',
    permission: 'read',
    mutating: false,
    params: z.object({ pairs: pairsParam }),
    summary: 'Per pair: order size limits, precision, order types and your fees.',
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: {
      'BTC-USD': {
        pair: 'BTC-USD',
        baseCurrency: 'BTC',
        quoteCurrency: 'USD',
        baseMin: '0.0001',
        baseMax: '50',
        basePrecision: 8,
        quotePrecision: 2,
        pricePrecision: 1,
        orderTypes: ['Market', 'Limit', 'StopLimit'],
        takerFee: '0.25',
        makerFee: '0.15',
      },
    },
    handler: async (_ctx, { pairs }) =>
      Object.fromEntries(
        selectedPairs(pairs).map((p) => [
          pairName(p),
          {
            pair: pairName(p),
            baseCurrency: p.base,
            quoteCurrency: p.quote,
            baseMin: p.minBase,
            baseMax: p.maxBase,
            basePrecision: CURRENCIES[p.base].precision,
            quotePrecision: CURRENCIES[p.quote].precision,
            pricePrecision: p.pricePrecision,
            orderTypes: ['Market', 'Limit', 'StopLimit'],
            takerFee: TAKER_FEE_PERCENT,
            makerFee: MAKER_FEE_PERCENT,
          },
        ]),
      ),
  }),
  defineAction({
    name: 'get_my_current_fee',
    permission: 'read',
    mutating: false,
    params: z.object({ pairs: pairsParam, accountId: subAccountParam.optional() }),
    summary: 'Your current trading fee per pair, in percent (market orders pay it in the currency they receive).',
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: { tradingFee: { 'BTC-USD': { percent: '0.25' } } },
    handler: async (_ctx, { pairs }) => ({
      tradingFee: Object.fromEntries(selectedPairs(pairs).map((p) => [pairName(p), { percent: TAKER_FEE_PERCENT }])),
    }),
  }),
  defineAction({
    name: 'get_fee_strategy',
    permission: 'read',
    mutating: false,
    params: z.object({}),
    summary: `The fee schedule your fees come from: taker and maker fee in percent by traded volume of the last ${VOLUME_PERIOD_DAYS} days (in USD). The demo has one tier.`,
    exampleParams: {},
    exampleResponse: {
      volumeCurrency: 'USD',
      volumePeriodDays: VOLUME_PERIOD_DAYS,
      tiers: [{ volumeFrom: '0', takerFee: '0.25', makerFee: '0.15' }],
    },
    handler: async () => ({
      volumeCurrency: 'USD',
      volumePeriodDays: VOLUME_PERIOD_DAYS,
      tiers: [{ volumeFrom: '0', takerFee: TAKER_FEE_PERCENT, makerFee: MAKER_FEE_PERCENT }],
    }),
  }),
  defineAction({
    name: 'get_my_volume',
    permission: 'read',
    mutating: false,
    params: z.object({}),
    summary: `Your traded volume of the last ${VOLUME_PERIOD_DAYS} days, in USD at current demo prices.`,
    exampleParams: {},
    exampleResponse: { period: '30d', volume: '600.15', currency: 'USD' },
    handler: async ({ db, accountId, now }) => ({
      period: `${VOLUME_PERIOD_DAYS}d`,
      volume: await tradedVolumeUsd(db, accountId, now),
      currency: 'USD',
    }),
  }),
];
