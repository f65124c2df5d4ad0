"""The PrometheusRule's alerts pass `promtool check rules`, and each one fires (and stays
quiet) as its unit tests in k8s/observability/prometheusrule.test.yaml say."""
import pathlib
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
OBSERVABILITY = ROOT / "k8s" / "observability"


def promtool() -> str:
    binary = shutil.which("promtool")
    if binary is None:
        pytest.fail("promtool is missing: the Debian package prometheus ships it (make deps)")
    return binary


@pytest.fixture
def rules_dir(tmp_path):
    """The PrometheusRule's groups as a plain rule file, with the unit tests next to it."""
    rule = yaml.safe_load((OBSERVABILITY / "prometheusrule.yaml").read_text())
    assert rule["kind"] == "PrometheusRule"
    (tmp_path / "orderhub-rules.yaml").write_text(yaml.safe_dump(rule["spec"], sort_keys=False))
    shutil.copy(OBSERVABILITY / "prometheusrule.test.yaml", tmp_path)
    return tmp_path


def test_rules_check(rules_dir):
    result = subprocess.run([promtool(), "check", "rules", "orderhub-rules.yaml"], cwd=rules_dir, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_unit_tests(rules_dir):
    rules = yaml.safe_load((rules_dir / "orderhub-rules.yaml").read_text())
    alerts = {r["alert"] for group in rules["groups"] for r in group["rules"] if "alert" in r}
    assert alerts == {"OrderhubMethodErrorRatioHigh", "OrderhubPaymentBacklogOld", "OrderhubDeliveryLagHigh", "OrderhubReadinessFlapping"}
    tests = yaml.safe_load((rules_dir / "prometheusrule.test.yaml").read_text())["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert tested == alerts


def test_rules_unit_tests(rules_dir):
    result = subprocess.run([promtool(), "test", "rules", "prometheusrule.test.yaml"], cwd=rules_dir, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_workload_exposes_a_named_metrics_port_with_scrape_annotations():
    podmonitor = yaml.safe_load((OBSERVABILITY / "podmonitor.yaml").read_text())
    assert podmonitor["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    for name, port in (("gateway", 9000), ("orders", 9051), ("payments", 9052)):
        deployment = next(d for d in yaml.safe_load_all((ROOT / "k8s" / f"{name}.yaml").read_text()) if d and d["kind"] == "Deployment")
        template = deployment["spec"]["template"]
        container = template["spec"]["containers"][0]
        assert {"name": "metrics", "containerPort": port} in [{k: p[k] for k in ("name", "containerPort")} for p in container["ports"]]
        annotations = template["metadata"]["annotations"]
        assert annotations == {"prometheus.io/scrape": "true", "prometheus.io/port": str(port), "prometheus.io/path": "/metrics"}
        assert name in podmonitor["spec"]["selector"]["matchExpressions"][0]["values"]
