"""Parity of `sentinel model import` on the Handbook test week (EVALUATION.md's protocol).

train  DATA OUT_DIR: trains XGBoost and LightGBM with their defaults (random_state=0) on 2018-07-25..07-31, saves
       them (xgboost.json, lightgbm.txt), and writes each library's predict_proba on every row of 2018-08-08..08-14
       (OUT_DIR/NAME.python.tsv: TRANSACTION_ID, probability) and its batch rate on one thread.
compare DATA OUT_DIR NAME SENTINEL_TSV EVALUATE_JSON: the largest probability difference from Sentinel's scores,
       and AP, ROC AUC and CP@100 computed here (training.py's test_rows and card_precision) beside those of
       `sentinel evaluate --json`.
"""
import json, os, sys, time, warnings
import numpy as np, pandas as pd
import lightgbm, xgboost
from sklearn.metrics import average_precision_score, roc_auc_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from training import FEATURES, card_precision, test_rows  # noqa: E402

warnings.filterwarnings('ignore', message='X does not have valid feature names')
TRAIN = (pd.Timestamp('2018-07-25'), pd.Timestamp('2018-07-31'))
TEST = (pd.Timestamp('2018-08-08'), pd.Timestamp('2018-08-14'))


def load(data):
    df = pd.read_csv(data, usecols=['TRANSACTION_ID', 'CUSTOMER_ID', 'TX_DATETIME', 'TX_FRAUD'] + FEATURES)
    df['DAY'] = pd.to_datetime(df.TX_DATETIME.str[:10])
    return df


def best_rate(predict, x, repeats=5):
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        predict(x)
        best = min(best, time.perf_counter() - start)
    return len(x) / best


def train(data, out):
    df = load(data)
    week = df[(df.DAY >= TRAIN[0]) & (df.DAY <= TRAIN[1])]
    test = df[(df.DAY >= TEST[0]) & (df.DAY <= TEST[1])]
    x, y, tx = week[FEATURES], week.TX_FRAUD, test[FEATURES]
    booster = xgboost.XGBClassifier(random_state=0)
    booster.fit(x, y)
    booster.get_booster().save_model(os.path.join(out, 'xgboost.json'))
    light = lightgbm.LGBMClassifier(random_state=0, verbose=-1)
    light.fit(x, y)
    light.booster_.save_model(os.path.join(out, 'lightgbm.txt'))
    booster.set_params(n_jobs=1)
    for name, model in (('xgboost', booster), ('lightgbm', light)):
        scores = model.predict_proba(tx)[:, 1] if name == 'xgboost' else model.predict_proba(tx, num_threads=1)[:, 1]
        pd.DataFrame({'id': test.TRANSACTION_ID.values, 'p': scores}).to_csv(
            os.path.join(out, f'{name}.python.tsv'), sep='\t', header=False, index=False, float_format='%.17g')
        predict = (lambda v: model.predict_proba(v)) if name == 'xgboost' else (
            lambda v: model.predict_proba(v, num_threads=1))
        print(f'python\t{name} {getattr(xgboost if name == "xgboost" else lightgbm, "__version__")}\t{len(tx)} rows'
              f'\t{int(best_rate(predict, tx))} rows/s (predict_proba, one thread, pandas input)')
        values = tx.to_numpy()
        print(f'python\t{name}\t{len(tx)} rows\t{int(best_rate(predict, values))} rows/s (predict_proba, one thread, '
              f'numpy input)')


def compare(data, out, name, sentinel_tsv, evaluate_json):
    df = load(data)
    python = pd.read_csv(os.path.join(out, f'{name}.python.tsv'), sep='\t', header=None, names=['id', 'p'])
    sentinel = pd.read_csv(sentinel_tsv, sep='\t', header=None, names=['id', 's'])
    both = python.merge(sentinel, on='id')
    assert len(both) == len(python) == len(sentinel), (len(both), len(python), len(sentinel))
    worst = float(np.max(np.abs(both.p - both.s)))
    test = test_rows(df, TRAIN[0], TEST[0], TEST[1])
    scores = test[['TRANSACTION_ID']].merge(python, left_on='TRANSACTION_ID', right_on='id').p.values
    ap = average_precision_score(test.TX_FRAUD, scores)
    auc = roc_auc_score(test.TX_FRAUD, scores)
    cp = card_precision(test, scores)
    report = json.load(open(evaluate_json))
    print(f'{name}\tmax |p_sentinel - p_python| over {len(both)} test-week rows: {worst:.3g}')
    print(f'{name}\tpython  \trows {len(test)} frauds {int(test.TX_FRAUD.sum())} AP {ap:.6f} ROC AUC {auc:.6f} '
          f'CP@100 {cp:.6f}')
    print(f'{name}\tsentinel\trows {report["rows"]} frauds {report["frauds"]} AP {report["average_precision"]:.6f} '
          f'ROC AUC {report["roc_auc"]:.6f} CP@100 {report["card_precision_at_100"]:.6f}')


if __name__ == '__main__':
    if sys.argv[1] == 'train':
        train(sys.argv[2], sys.argv[3])
    else:
        compare(*sys.argv[2:7])
