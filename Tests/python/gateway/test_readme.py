"""The README's REST session, run verbatim against real services, so the README stays true.

The fenced `sh` block under the "## REST" heading is run by bash (with `set -euo pipefail`)
with only the address replaced. A `curl` wrapper records each call's HTTP status, which must
match the statuses the comments announce ("→ 201", "→ 201, 200, 200, 200").
"""
import re
import subprocess

from support import processes

README = processes.ROOT / "README.md"


def rest_session() -> str:
    text = README.read_text()
    section = text.split("\n## REST\n", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "README.md has no ```sh block under ## REST"
    return match.group(1)


def announced_statuses(session: str) -> list:
    statuses = []
    for line in session.splitlines():
        if line.startswith("#") and "→" in line:
            statuses += re.findall(r"\b([1-5]\d\d)\b", line.split("→", 1)[1])
    return statuses


def test_readme_curl_session(gateway, tmp_path):
    session = rest_session()
    expected = announced_statuses(session)
    assert len(expected) >= 10
    address = gateway.url.removeprefix("http://")
    script = "\n".join([
        "set -euo pipefail",
        # Each real curl call writes its status code to stderr, after its body.
        f"curl() {{ command curl --write-out '%{{stderr}}%{{http_code}}\\n' \"$@\"; }}",
        session.replace("localhost:8000", address),
    ])
    (tmp_path / "session.sh").write_text(script)
    result = subprocess.run(["bash", str(tmp_path / "session.sh")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    statuses = [line for line in result.stderr.splitlines() if re.fullmatch(r"\d{3}", line)]
    assert statuses == expected, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert '"state":"ORDER_STATE_DELIVERED"' in result.stdout
    assert "CANCEL_REASON_USER_REQUESTED" in result.stdout
