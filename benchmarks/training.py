"""LightGBM and XGBoost (hist) on the same rows as training-benchmark, timed, and scored on the test week.

Usage: training.py [--data FILE] [--trees N] [--depth D] [--threads T] [--swift-tsv FILE]
Hyper-parameters mirror Sentinel's GBDT defaults where the libraries have an equivalent (learning rate 0.05,
min child weight 3, L2 3, row and feature subsampling 0.8, 1023 bins, depth D with 2^D leaves). Training time
covers dataset construction (binning) and boosting, as on the Swift side. AP is scikit-learn's
average_precision_score and CP@100 follows EVALUATION.md; both on the test rows left after removing known
compromised cards, computed here in Python (the Swift side uses the Swift evaluator; row and fraud counts are
printed by both so the test sets can be compared).
"""
import argparse, time
import numpy as np, pandas as pd
import lightgbm as lgb, xgboost as xgb
from sklearn.metrics import average_precision_score

FEATURES = (['TX_AMOUNT', 'TX_DURING_WEEKEND', 'TX_DURING_NIGHT']
            + [f'CUSTOMER_ID_NB_TX_{d}DAY_WINDOW' for d in (1, 7, 30)]
            + [f'CUSTOMER_ID_AVG_AMOUNT_{d}DAY_WINDOW' for d in (1, 7, 30)]
            + [f'TERMINAL_ID_NB_TX_{d}DAY_WINDOW' for d in (1, 7, 30)]
            + [f'TERMINAL_ID_RISK_{d}DAY_WINDOW' for d in (1, 7, 30)])


def test_rows(df, first, test_from, test_to, delay=7):
    """Test-week rows, minus those of cards with a fraud from `first` up to t - delay - 1."""
    test = df[(df.DAY >= test_from) & (df.DAY <= test_to)]
    frauds = df[(df.TX_FRAUD == 1) & (df.DAY >= first)]
    first_fraud = frauds.groupby('CUSTOMER_ID').DAY.min()
    seen = test.CUSTOMER_ID.map(first_fraud)
    known = seen.notna() & (seen <= test.DAY - pd.Timedelta(days=delay + 1))
    return test[~known.values]


def card_precision(test, scores, k=100):
    t = test[['CUSTOMER_ID', 'DAY', 'TX_FRAUD']].copy()
    t['score'] = scores
    detected, daily = set(), []
    for _, day in t.groupby('DAY', sort=True):
        day = day[~day.CUSTOMER_ID.isin(detected)]
        cards = day.groupby('CUSTOMER_ID').agg(risk=('score', 'max'), fraud=('TX_FRAUD', 'max')).reset_index()
        top = cards.sort_values(['risk', 'CUSTOMER_ID'], ascending=[False, True]).head(k)
        daily.append(top.fraud.sum() / k)
        detected |= set(top[top.fraud == 1].CUSTOMER_ID)
    return float(np.mean(daily))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', default='../shared/data/handbook-sim-transformed-dev.csv.gz')
    parser.add_argument('--trees', type=int, default=300)
    parser.add_argument('--depth', type=int, default=6)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--swift-tsv')
    args = parser.parse_args()
    df = pd.read_csv(args.data, usecols=['CUSTOMER_ID', 'TX_DATETIME', 'TX_FRAUD'] + FEATURES)
    df['DAY'] = pd.to_datetime(df.TX_DATETIME.str[:10])
    rows = []
    for name, first in (('week', '2018-07-25'), ('july', '2018-07-01')):
        first = pd.Timestamp(first)
        train = df[(df.DAY >= first) & (df.DAY <= pd.Timestamp('2018-07-31'))]
        test = test_rows(df, first, pd.Timestamp('2018-08-08'), pd.Timestamp('2018-08-14'))
        x, y, xt = train[FEATURES].to_numpy(np.float64), train.TX_FRAUD.to_numpy(), test[FEATURES].to_numpy(np.float64)
        for library in ('lightgbm', 'xgboost-hist'):
            start, cpu_start = time.perf_counter(), time.process_time()
            if library == 'lightgbm':
                params = dict(objective='binary', learning_rate=0.05, num_leaves=2 ** args.depth, max_depth=args.depth,
                              min_sum_hessian_in_leaf=3, min_data_in_leaf=1, lambda_l2=3, bagging_fraction=0.8,
                              bagging_freq=1, feature_fraction=0.8, max_bin=1023, num_threads=args.threads,
                              seed=0, verbose=-1, force_row_wise=True)
                model = lgb.train(params, lgb.Dataset(x, y), num_boost_round=args.trees)
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                scores = model.predict(xt, num_threads=args.threads)
            else:
                params = dict(objective='binary:logistic', tree_method='hist', eta=0.05, max_depth=args.depth,
                              min_child_weight=3, reg_lambda=3, subsample=0.8, colsample_bytree=0.8, max_bin=1023,
                              nthread=args.threads, seed=0)
                model = xgb.train(params, xgb.DMatrix(x, y, nthread=args.threads), num_boost_round=args.trees)
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                scores = model.predict(xgb.DMatrix(xt, nthread=args.threads))
            ap = average_precision_score(test.TX_FRAUD, scores)
            cp = card_precision(test, scores)
            rows.append((library, name, len(train), elapsed, cpu, ap, cp, len(test), int(test.TX_FRAUD.sum())))
            print(f'{library} {name}: {len(train)} rows, {elapsed:.2f} s, CPU {cpu:.2f} s; test {len(test)} rows: AP {ap:.4f}, CP@100 {cp:.4f}',
                  flush=True)
    if args.swift_tsv:
        with open(args.swift_tsv) as f:
            for line in f:
                side, name, n, seconds, cpu, ap, cp, tn, tf = line.rstrip('\n').split('\t')
                rows.append((side, name, int(n), float(seconds), float(cpu), float(ap), float(cp), int(tn), int(tf)))
    print(f'\n{args.trees} trees, depth {args.depth}, {args.threads} threads; test 2018-08-08..08-14, known compromised '
          'cards removed')
    print('| window | learner | training rows | wall s | CPU s (all threads) | AP | CP@100 | test rows / frauds |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for name in ('week', 'july'):
        for side, _, n, seconds, cpu, ap, cp, tn, tf in sorted((r for r in rows if r[1] == name), key=lambda r: r[3]):
            print(f'| {name} | {side} | {n} | {seconds:.2f} | {cpu:.2f} | {ap:.4f} | {cp:.4f} | {tn} / {tf} |')


if __name__ == '__main__':
    main()
