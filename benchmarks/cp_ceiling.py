"""How high can CP@100 go on EVALUATION.md's test week with its 15 inputs? Companion of cp-ceiling.sh.

Usage:
  cp_ceiling.py prepare --data FILE --out FILE.csv.gz
      Writes the "wide" training set: every labelled day of the file except the test week and the delay week before
      it (2018-07-01 .. 07-31 and 2018-08-15 .. 08-31), lines copied verbatim. It includes days *after* the test
      week, so a model trained on it is no valid model for the protocol: it only estimates the best ranking that the
      15 inputs allow, with seven times the history of the protocol's week.
  cp_ceiling.py report --data FILE --sentinel NAME=JSON [--sentinel NAME=JSON ...]
      Scores the test week with LightGBM (trained on the week and on the wide set, with and without derived inputs)
      and with two oracles that know the simulator's fraud scenarios, then prints every figure, the Sentinel ones
      (from `sentinel evaluate --json`) included, and where the week model's missed cards come from.

Test rows everywhere: 2018-08-08 .. 08-14 minus cards with a fraud from 2018-07-25 up to t - 8 (58,264 rows).
"""
import argparse, collections, gzip
import numpy as np, pandas as pd
import lightgbm as lgb
from sklearn.metrics import average_precision_score
from training import FEATURES, test_rows, card_precision

WEEK = (pd.Timestamp('2018-07-25'), pd.Timestamp('2018-07-31'))
TEST = (pd.Timestamp('2018-08-08'), pd.Timestamp('2018-08-14'))
WIDE = [('2018-07-01', '2018-07-31'), ('2018-08-15', '2018-08-31')]

# LightGBM set as close to Sentinel's GBDT defaults as the library allows (the tree count is what Sentinel's early
# stopping keeps on the week, about 600).
PARAMETERS = dict(objective='binary', learning_rate=0.02, num_leaves=16, max_depth=4, min_sum_hessian_in_leaf=3,
                  min_data_in_leaf=1, lambda_l2=3, scale_pos_weight=2, bagging_fraction=0.8, bagging_freq=1,
                  feature_fraction=0.8, max_bin=1023, num_threads=2, seed=0, verbose=-1)


def prepare(data, out):
    keep = 0
    with gzip.open(data, 'rt') as source, gzip.open(out, 'wt') as target:
        header = source.readline()
        target.write(header)
        column = header.rstrip('\n').split(',').index('TX_DATETIME')
        for line in source:
            day = line.split(',', column + 1)[column][:10]
            if any(first <= day <= last for first, last in WIDE):
                target.write(line)
                keep += 1
    print(f'wrote {keep} rows ({" and ".join(f"{a} .. {b}" for a, b in WIDE)}) to {out}')


def derived(frame):
    """Nine inputs computed from the 15: amount over the card's averages, and the terminal's known fraud counts."""
    frame = frame.copy()
    for w in (1, 7, 30):
        frame[f'AMOUNT_OVER_AVG_{w}'] = frame.TX_AMOUNT / (frame[f'CUSTOMER_ID_AVG_AMOUNT_{w}DAY_WINDOW'] + 1e-6)
        frame[f'TERMINAL_FRAUDS_{w}'] = frame[f'TERMINAL_ID_RISK_{w}DAY_WINDOW'] * frame[f'TERMINAL_ID_NB_TX_{w}DAY_WINDOW']
    frame['TERMINAL_FRAUDS_2_7'] = frame.TERMINAL_FRAUDS_7 - frame.TERMINAL_FRAUDS_1
    frame['TERMINAL_FRAUDS_8_30'] = frame.TERMINAL_FRAUDS_30 - frame.TERMINAL_FRAUDS_7
    frame['TERMINAL_TX_2_7'] = frame.TERMINAL_ID_NB_TX_7DAY_WINDOW - frame.TERMINAL_ID_NB_TX_1DAY_WINDOW
    return frame, FEATURES + [c for c in frame.columns if c.startswith(('AMOUNT_OVER', 'TERMINAL_FRAUDS', 'TERMINAL_TX_'))]


def category(test):
    """Each fraud's scenario, with scenario 2 split by whether its terminal shows any known fraud in the inputs."""
    visible = (test[[f'TERMINAL_ID_RISK_{w}DAY_WINDOW' for w in (1, 7, 30)]] > 0).any(axis=1)
    return np.select(
        [test.TX_FRAUD == 0, test.TX_FRAUD_SCENARIO == 1, test.TX_FRAUD_SCENARIO == 3, visible],
        ['genuine', '1: amount over 220', '3: card ×5 amounts', '2: terminal, fraud known'],
        '2: terminal, no fraud known yet')


def missed_cards(test, scores, k=100):
    """Compromised cards inside and outside each day's top k, by the category of the card's best-ranked fraud."""
    t = test.assign(score=scores, category=category(test))
    detected, hit, missed = set(), collections.Counter(), collections.Counter()
    for _, day in t.groupby('DAY', sort=True):
        day = day[~day.CUSTOMER_ID.isin(detected)]
        kind = (day[day.TX_FRAUD == 1].sort_values('score', ascending=False)
                .drop_duplicates('CUSTOMER_ID').set_index('CUSTOMER_ID').category)
        cards = day.groupby('CUSTOMER_ID').agg(risk=('score', 'max'), fraud=('TX_FRAUD', 'max')).reset_index()
        cards = cards.sort_values(['risk', 'CUSTOMER_ID'], ascending=[False, True])
        top, rest = cards.head(k), cards.iloc[k:]
        detected |= set(top[top.fraud == 1].CUSTOMER_ID)
        hit.update(kind[c] for c in top[top.fraud == 1].CUSTOMER_ID)
        missed.update(kind[c] for c in rest[rest.fraud == 1].CUSTOMER_ID)
    return hit, missed


def report(data, sentinel):
    frame = pd.read_csv(data)
    frame['DAY'] = pd.to_datetime(frame.TX_DATETIME.str[:10])
    test = test_rows(frame, WEEK[0], *TEST)
    week = frame[(frame.DAY >= WEEK[0]) & (frame.DAY <= WEEK[1])]
    wide = frame[np.logical_or.reduce([(frame.DAY >= a) & (frame.DAY <= b) for a, b in WIDE])]
    print(f'test rows {len(test)}, frauds {int(test.TX_FRAUD.sum())}; week {len(week)} rows, wide {len(wide)} rows')

    rows = []
    for name, path in sentinel:
        result = pd.read_json(path, typ='series')
        rows.append((name, result['average_precision'], result['card_precision_at_100']))

    def lightgbm(name, train, columns, rounds, seeds=(0, 1, 2)):
        aps, cps = [], []
        for seed in seeds:
            model = lgb.train(dict(PARAMETERS, seed=seed), lgb.Dataset(train[columns].to_numpy(), train.TX_FRAUD.to_numpy()),
                              num_boost_round=rounds)
            scores = model.predict(test_columns[columns].to_numpy())
            aps.append(average_precision_score(test.TX_FRAUD, scores))
            cps.append(card_precision(test, scores))
        rows.append((f'{name}, seeds {seeds[0]}-{seeds[-1]}', f'{min(aps):.4f}-{max(aps):.4f}', f'{min(cps):.4f}-{max(cps):.4f}'))
        return scores

    test_columns, extended = derived(test)
    week_scores = lightgbm('LightGBM, week', week, FEATURES, 600)
    lightgbm('LightGBM, week + 9 derived inputs', derived(week)[0], extended, 600)
    lightgbm('LightGBM, wide (48 days)', wide, FEATURES, 600, seeds=(0, 1))
    lightgbm('LightGBM, wide + 9 derived inputs', derived(wide)[0], extended, 1500, seeds=(0, 1))

    kinds = category(test)
    revealable = (test.TX_FRAUD == 1) & (kinds != '2: terminal, no fraud known yet')
    rows.append(('oracle: frauds the inputs can reveal ranked first', '-', card_precision(test, revealable.astype(float).values)))
    rows.append(('oracle: every fraud ranked first', '-', card_precision(test, test.TX_FRAUD.astype(float).values)))

    width = max(len(r[0]) for r in rows)
    print(f'\n{"model (test week, 15 inputs unless stated)":<{width}}  {"AP":>13}  {"CP@100":>13}')
    for name, ap, cp in rows:
        fmt = lambda v: v if isinstance(v, str) else f'{v:.4f}'
        print(f'{name:<{width}}  {fmt(ap):>13}  {fmt(cp):>13}')

    hit, missed = missed_cards(test, week_scores)
    print('\ncompromised cards of the LightGBM week model (last seed), over the 7 test days: in / out of the top 100')
    for kind in sorted(set(hit) | set(missed)):
        print(f'  {kind:<34} {hit[kind]:>4} in  {missed[kind]:>4} out')


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('prepare')
    p.add_argument('--data', required=True)
    p.add_argument('--out', required=True)
    r = sub.add_parser('report')
    r.add_argument('--data', required=True)
    r.add_argument('--sentinel', action='append', default=[], type=lambda s: tuple(s.split('=', 1)))
    args = parser.parse_args()
    if args.command == 'prepare':
        prepare(args.data, args.out)
    else:
        report(args.data, args.sentinel)


if __name__ == '__main__':
    main()
