"""Parity of `sentinel model import` on the Handbook test week (EVALUATION.md's protocol).

train  DATA OUT_DIR: trains XGBoost, LightGBM and a scikit-learn random forest with their defaults (random_state=0)
       on 2018-07-25..07-31, saves them (xgboost.json, lightgbm.txt, and forest.onnx through skl2onnx with float
       inputs), and writes each library's predict_proba on every row of 2018-08-08..08-14 (OUT_DIR/NAME.python.tsv:
       TRANSACTION_ID, probability; for the forest also forest.onnxruntime.tsv, onnxruntime on the ONNX file) and
       its batch rate on one thread.
compare DATA OUT_DIR NAME SENTINEL_TSV EVALUATE_JSON: the largest probability difference from Sentinel's scores,
       and AP, ROC AUC and CP@100 computed here (training.py's test_rows and card_precision) beside those of
       `sentinel evaluate --json`.
"""
import json, os, sys, time, warnings
import numpy as np, pandas as pd
import lightgbm, onnxruntime, skl2onnx, sklearn, xgboost
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import RandomForestClassifier
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
    forest = RandomForestClassifier(random_state=0, n_jobs=-1)
    forest.fit(x.to_numpy(), y)
    proto = skl2onnx.convert_sklearn(forest, initial_types=[('X', FloatTensorType([None, len(FEATURES)]))],
                                     options={id(forest): {'zipmap': False}})
    with open(os.path.join(out, 'forest.onnx'), 'wb') as f:
        f.write(proto.SerializeToString())
    forest.set_params(n_jobs=1)
    values = tx.to_numpy()
    depth = max(tree.get_depth() for tree in forest.estimators_)
    nodes = sum(tree.tree_.node_count for tree in forest.estimators_)
    pd.DataFrame({'id': test.TRANSACTION_ID.values, 'p': forest.predict_proba(values)[:, 1]}).to_csv(
        os.path.join(out, 'forest.python.tsv'), sep='\t', header=False, index=False, float_format='%.17g')
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(proto.SerializeToString(), options, providers=['CPUExecutionProvider'])
    values32 = values.astype(np.float32)
    pd.DataFrame({'id': test.TRANSACTION_ID.values,
                  'p': session.run(['probabilities'], {'X': values32})[0][:, 1]}).to_csv(
        os.path.join(out, 'forest.onnxruntime.tsv'), sep='\t', header=False, index=False, float_format='%.17g')
    print(f'python\tforest sklearn {sklearn.__version__} skl2onnx {skl2onnx.__version__} onnxruntime '
          f'{onnxruntime.__version__}\t{len(forest.estimators_)} trees, {nodes} nodes, depth up to {depth}, '
          f'ONNX file {len(proto.SerializeToString())} bytes')
    print(f'python\tforest\t{len(tx)} rows\t{int(best_rate(lambda v: forest.predict_proba(v), values))} rows/s '
          f'(predict_proba, one thread, numpy input)')
    print(f'python\tforest\t{len(tx)} rows\t'
          f'{int(best_rate(lambda v: session.run(["probabilities"], {"X": v}), values32))} rows/s '
          f'(onnxruntime, one thread, float32 input)')


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
    runtime = os.path.join(out, f'{name}.onnxruntime.tsv')
    if os.path.exists(runtime):
        onnx = pd.read_csv(runtime, sep='\t', header=None, names=['id', 'o']).merge(sentinel, on='id')
        print(f'{name}\tmax |p_sentinel - p_onnxruntime| over {len(onnx)} test-week rows: '
              f'{float(np.max(np.abs(onnx.o - onnx.s))):.3g}')
    print(f'{name}\tpython  \trows {len(test)} frauds {int(test.TX_FRAUD.sum())} AP {ap:.6f} ROC AUC {auc:.6f} '
          f'CP@100 {cp:.6f}')
    print(f'{name}\tsentinel\trows {report["rows"]} frauds {report["frauds"]} AP {report["average_precision"]:.6f} '
          f'ROC AUC {report["roc_auc"]:.6f} CP@100 {report["card_precision_at_100"]:.6f}')


if __name__ == '__main__':
    if sys.argv[1] == 'train':
        train(sys.argv[2], sys.argv[3])
    else:
        compare(*sys.argv[2:7])
