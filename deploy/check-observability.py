#!/usr/bin/env python3
"""Check the Grafana dashboard and the Prometheus rules against Docs/Metrics.md.

Grafana is not installable here, so this stands in for loading the dashboard: it checks the dashboard's structure
(unique panel ids, grid positions that fit the 24-column grid and do not overlap, a data source and PromQL targets on
every panel, template variables that exist) and that every metric named by a PromQL expression of the dashboard,
its template variables and deploy/prometheus/rules.yml is a series of Docs/Metrics.md, with label matchers naming
labels that series has. Histogram suffixes _bucket/_sum/_count map to their family; `up` and the rules' own recorded
series are allowed too. It also checks that rules.test.yml makes every alert both fire and clear.

Usage: deploy/check-observability.py [REPO_ROOT]      (Python 3 standard library only; exit 1 on any problem)
"""

import json
import re
import sys
from pathlib import Path

# Labels Prometheus adds to every scraped series (static targets; prometheus-kubernetes.yml adds namespace and pod).
TARGET_LABELS = {"job", "instance", "namespace", "pod"}
# Grafana's own variables.
GRAFANA_VARIABLES = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms"}
PROMQL_KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
                   "group_right", "inf", "nan", "atan2"}
CLAUSES = {"by", "without", "on", "ignoring", "group_left", "group_right"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


class Series:
    def __init__(self, name, kind, labels):
        self.name, self.kind, self.labels = name, kind, labels


def metrics_table(path):
    """The series of Docs/Metrics.md's tables: `| `name` | type | `label`, ... | meaning | series |`."""
    series = {}
    row = re.compile(r"^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*(counter|gauge|histogram|summary)\s*\|([^|]*)\|")
    for line in path.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            name, kind, labels = match.groups()
            series[name] = Series(name, kind, set(re.findall(r"`([a-zA-Z_][a-zA-Z0-9_]*)`", labels)))
    return series


def yaml_scalars(path, key):
    """(line number, value) of every `key:` in a YAML file: plain, quoted or block (| or >) scalars.

    Enough for rule files (no YAML parser in the standard library); anything else there is promtool's to check.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    start = re.compile(r"^(\s*)(?:-\s+)?" + re.escape(key) + r":\s*(.*)$")
    index = 0
    while index < len(lines):
        match = start.match(lines[index])
        if not match:
            index += 1
            continue
        indent, value = len(match.group(1)), match.group(2).strip()
        number = index + 1
        index += 1
        if value[:1] in ("|", ">"):
            block = []
            while index < len(lines) and (not lines[index].strip() or
                                          len(lines[index]) - len(lines[index].lstrip()) > indent):
                block.append(lines[index].strip())
                index += 1
            value = " ".join(part for part in block if part)
        elif value[:1] in ("'", '"') and value[-1:] == value[:1]:
            value = value[1:-1]
        found.append((number, value))
    return found


def matching(text, index, opening, closing):
    """The index just past the bracket that closes the one at `index`, skipping string literals."""
    depth = 0
    while index < len(text):
        char = text[index]
        if char in "\"'`":
            index = _skip_string(text, index)
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced {opening}{closing}")


def selectors(expr):
    """(metric name, set of label names in its matchers) for every series selector of a PromQL expression."""
    found = []
    index = 0
    name_pattern = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
    while index < len(expr):
        char = expr[index]
        if char in "\"'`":
            index = _skip_string(expr, index)
        elif char == "[":
            index = matching(expr, index, "[", "]")
        elif char == "{":
            # A selector with no metric name in front ({__name__=...}): its labels alone say nothing here.
            index = matching(expr, index, "{", "}")
        elif char == "$":
            variable = re.match(r"\$\{?[a-zA-Z0-9_]+\}?", expr[index:])
            index += len(variable.group(0)) if variable else 1
        elif char.isdigit() or (char == "." and expr[index + 1:index + 2].isdigit()):
            number = re.match(r"[0-9.]+(?:[eE][+-]?[0-9]+)?[a-zA-Z0-9]*", expr[index:])
            index += len(number.group(0))
        elif name_pattern.match(char):
            name = name_pattern.match(expr, index).group(0)
            index += len(name)
            rest = index
            while rest < len(expr) and expr[rest].isspace():
                rest += 1
            following = expr[rest:rest + 1]
            if name.lower() in CLAUSES:
                if following == "(":
                    index = matching(expr, rest, "(", ")")
            elif name.lower() in PROMQL_KEYWORDS:
                pass
            elif following == "(" or re.match(r"(?:by|without)\s*\(", expr[rest:]):
                pass  # a function, or an aggregation (its by/without clause may come first)
            elif following == "{":
                end = matching(expr, rest, "{", "}")
                labels = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", _strip_strings(expr[rest + 1:end - 1])))
                found.append((name, labels))
                index = end
            else:
                found.append((name, set()))
        else:
            index += 1
    return found


def _skip_string(text, index):
    quote = text[index]
    end = index + 1
    while end < len(text):
        if text[end] == "\\":
            end += 2
            continue
        if text[end] == quote:
            return end + 1
        end += 1
    raise ValueError("unterminated string")


def _strip_strings(text):
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', text)


def check_expression(expr, where, known, recorded, problems):
    try:
        found = selectors(expr)
    except ValueError as error:
        problems.append(f"{where}: cannot read the expression ({error}): {expr}")
        return 0
    if not found:
        problems.append(f"{where}: no series in the expression: {expr}")
    for name, labels in found:
        if name in recorded:
            continue
        allowed = set(TARGET_LABELS)
        if name == "up":
            pass
        else:
            family = known.get(name)
            if family is None:
                for suffix in HISTOGRAM_SUFFIXES:
                    base = name[: -len(suffix)] if name.endswith(suffix) else None
                    if base and base in known and known[base].kind == "histogram":
                        family = known[base]
                        if suffix == "_bucket":
                            allowed.add("le")
                        break
            elif family.kind == "histogram":
                problems.append(f"{where}: {name} is a histogram: select {name}_bucket, _sum or _count")
                continue
            if family is None:
                problems.append(f"{where}: {name} is not a series in Docs/Metrics.md")
                continue
            allowed |= family.labels
        unknown = labels - allowed
        if unknown:
            problems.append(f"{where}: {name} has no label {', '.join(sorted(unknown))}")
    return len(found)


def check_dashboard(path, known, recorded, problems):
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    for field, kind in (("uid", str), ("title", str), ("schemaVersion", int), ("panels", list), ("templating", dict)):
        if not isinstance(dashboard.get(field), kind):
            problems.append(f"{path.name}: top-level {field!r} missing or not a {kind.__name__}")
    variables = {}
    for variable in dashboard.get("templating", {}).get("list", []):
        if not isinstance(variable.get("name"), str) or not variable.get("type"):
            problems.append(f"{path.name}: a template variable without name or type")
            continue
        variables[variable["name"]] = variable
    defined = set(variables) | GRAFANA_VARIABLES
    expressions = 0
    for name, variable in variables.items():
        if variable["type"] != "query":
            continue
        query = variable.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        match = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*", text or "")
        if not match:
            problems.append(f"{path.name}: variable {name}: expected label_values(SERIES, LABEL), got {text!r}")
            continue
        series, label = match.groups()
        expressions += check_expression(f"{series.rstrip('}')}{{{label}=~\".*\"}}" if "{" not in series
                                        else series, f"variable {name}", known, recorded, problems)

    panels, ids, boxes = [], set(), []
    for panel in dashboard.get("panels", []):
        panels.append(panel)
        panels.extend(panel.get("panels", []) if panel.get("type") == "row" else [])
    for panel in panels:
        title = f"panel {panel.get('id')} {panel.get('title')!r}"
        if not isinstance(panel.get("id"), int):
            problems.append(f"{title}: id missing or not an integer")
        elif panel["id"] in ids:
            problems.append(f"{title}: id used twice")
        ids.add(panel.get("id"))
        if not panel.get("type") or not panel.get("title"):
            problems.append(f"{title}: type or title missing")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(key), int) for key in "hwxy"):
            problems.append(f"{title}: gridPos needs integer h, w, x, y")
        else:
            if grid["w"] < 1 or grid["h"] < 1 or grid["x"] < 0 or grid["y"] < 0 or grid["x"] + grid["w"] > 24:
                problems.append(f"{title}: gridPos {grid} does not fit the 24-column grid")
            for other_title, other in boxes:
                if (grid["x"] < other["x"] + other["w"] and other["x"] < grid["x"] + grid["w"]
                        and grid["y"] < other["y"] + other["h"] and other["y"] < grid["y"] + grid["h"]):
                    problems.append(f"{title}: overlaps {other_title}")
            boxes.append((title, grid))
        if panel.get("type") == "row":
            continue
        datasource = panel.get("datasource")
        if not isinstance(datasource, dict) or datasource.get("type") != "prometheus" or not datasource.get("uid"):
            problems.append(f"{title}: datasource must be a Prometheus {{type, uid}}")
        targets = panel.get("targets")
        if not isinstance(targets, list) or not targets:
            problems.append(f"{title}: no targets")
            continue
        refs = set()
        for target in targets:
            where = f"{title} target {target.get('refId')}"
            if not target.get("refId") or target["refId"] in refs:
                problems.append(f"{where}: refId missing or repeated")
            refs.add(target.get("refId"))
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.append(f"{where}: no expr")
                continue
            used = set(re.findall(r"\$\{?([a-zA-Z0-9_]+)", expr + json.dumps(target.get("datasource", {}))))
            for missing in sorted(used - defined):
                problems.append(f"{where}: uses undefined variable ${missing}")
            expressions += check_expression(expr, where, known, recorded, problems)
        used = set(re.findall(r"\$\{?([a-zA-Z0-9_]+)", json.dumps(datasource)))
        for missing in sorted(used - defined):
            problems.append(f"{title}: datasource uses undefined variable ${missing}")
    return len(panels), expressions


def check_rule_tests(rules_path, tests_path, problems):
    alerts = [value for _, value in yaml_scalars(rules_path, "alert")]
    fired, cleared = set(), set()
    lines = tests_path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^\s*(?:-\s+)?alertname:\s*(\S+)\s*$", line)
        if not match:
            continue
        for following in lines[index + 1:index + 4]:
            expected = re.match(r"^\s*exp_alerts:\s*(.*)$", following)
            if expected:
                (cleared if expected.group(1).strip() == "[]" else fired).add(match.group(1))
                break
    for alert in alerts:
        if alert not in fired:
            problems.append(f"{tests_path.name}: no test where {alert} fires")
        if alert not in cleared:
            problems.append(f"{tests_path.name}: no test where {alert} is expected not to fire")
    return len(alerts)


def self_test():
    """The expression reader on cases it must get right (a wrong reader would pass any name)."""
    cases = {
        'sum by (le) (rate(a_bucket{x="1", y=~"$v"}[$__rate_interval]))': [("a_bucket", {"x", "y"})],
        "b > on (m) group_left(k) max by (m) (c) or absent(up{job=\"j\"})": [("b", set()), ("c", set()),
                                                                           ("up", {"job"})],
        'histogram_quantile(0.99, d) > 0.005 and e offset 5m': [("d", set()), ("e", set())],
        'f{a="by (x) {}"} / ignoring (q) g': [("f", {"a"}), ("g", set())],
        "1e-3 * h unless bool i": [("h", set()), ("i", set())],
    }
    for expr, expected in cases.items():
        got = selectors(expr)
        if got != expected:
            raise SystemExit(f"self-test: {expr!r} read as {got}, expected {expected}")


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    self_test()
    problems = []
    known = metrics_table(root / "Docs/Metrics.md")
    if len(known) < 10:
        print(f"Docs/Metrics.md: found only {len(known)} series in its tables", file=sys.stderr)
        return 1
    rules = root / "deploy/prometheus/rules.yml"
    recorded = {value for _, value in yaml_scalars(rules, "record")}
    rule_expressions = 0
    for line, expr in yaml_scalars(rules, "expr"):
        rule_expressions += 1
        check_expression(expr, f"rules.yml:{line}", known, recorded, problems)
    alerts = check_rule_tests(rules, root / "deploy/prometheus/rules.test.yml", problems)
    panels, expressions = check_dashboard(root / "deploy/grafana/sentinel.json", known, recorded, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"Docs/Metrics.md: {len(known)} series; rules.yml: {rule_expressions} expressions, {alerts} alerts each "
          f"firing and clearing in rules.test.yml; sentinel.json: {panels} panels, {expressions} series selectors; "
          "all name documented series and labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
