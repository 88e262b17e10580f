#!/usr/bin/env bash
# The security gates of `make test` (issue 19): bandit on gongkai/ and pip-audit on
# requirements.lock. A high-severity bandit finding or a known vulnerability in a pinned
# package fails. Known exceptions carry their reason: bandit's in pyproject [tool.bandit]
# (or `# nosec BXXX: reason` on the line), pip-audit's in IGNORED_VULNS below.
#
# pip-audit asks PyPI's per-release JSON API (/pypi/<name>/<version>/json). Where that API does
# not answer (a registry mirror serves only the package index), every package comes back
# "not found" and pip-audit itself would exit 0: this script counts those packages and says in
# plain words that the dependencies were NOT audited. GONGKAI_AUDIT_STRICT=1 turns that into a
# failure, for machines that reach PyPI (a release build, an operator's workstation).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

# Vulnerabilities accepted on purpose, one `--ignore-vuln ID` each with a comment saying why
# (not reachable in our use, no fixed release yet, …) and when to look again. None today.
IGNORED_VULNS=(
)

echo "== bandit: gongkai/ (fails on high severity; exceptions in pyproject [tool.bandit]) =="
started=$SECONDS
if $BIN/bandit -q -c pyproject.toml -r gongkai --severity-level high; then
  echo "bandit：未发现高危问题（$((SECONDS - started)) 秒）"
else
  echo "bandit：发现高危问题（见上），请修复，或在该行注明 # nosec BXXX: 理由"
  status=1
fi

echo "== pip-audit: requirements.lock (fails on a known vulnerability) =="
started=$SECONDS
report=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$report" "$errors"' EXIT
# --no-deps + --disable-pip: the lock pins every package exactly, so nothing is resolved and
# no throw-away virtualenv is built.
$BIN/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off \
  --format json --output "$report" "${IGNORED_VULNS[@]}" 2>"$errors"
audit_rc=$?
$BIN/python - "$report" "$errors" "$audit_rc" "$((SECONDS - started))" <<'PY'
import json
import os
import sys

report, errors, rc, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
strict = os.environ.get("GONGKAI_AUDIT_STRICT") == "1"
try:
    with open(report, encoding="utf-8") as fh:
        deps = json.load(fh)["dependencies"]
except (OSError, ValueError, KeyError):
    deps = None
if deps is None:
    # pip-audit stopped before writing a report: no network at all, or a bad lock line.
    with open(errors, encoding="utf-8") as fh:
        print(fh.read().strip()[-2000:])
    print("pip-audit：未完成依赖漏洞审计（pip-audit 未能生成报告，见上）")
    sys.exit(1 if strict or rc not in (0, 1) else 0)
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "暂无修复版本"
        print(f"  {dep['name']} {dep['version']}: {vuln['id']}（修复版本：{fixes}）")
audited = len(deps) - len(skipped)
if vulnerable:
    print(
        f"pip-audit：{len(vulnerable)} 个依赖有已知漏洞（见上）。请升级 requirements.lock，"
        "或在 scripts/security-gates.sh 的 IGNORED_VULNS 中注明理由后忽略"
    )
    sys.exit(1)
if skipped:
    names = ", ".join(d["name"] for d in skipped[:8]) + (" …" if len(skipped) > 8 else "")
    print(
        f"pip-audit：未完成依赖漏洞审计 —— {len(skipped)}/{len(deps)} 个依赖无法从漏洞库查询"
        f"（{names}；多为 PyPI 逐版本 JSON 接口不可达）。这些依赖未经审计，不代表没有漏洞。"
    )
    if strict:
        print("GONGKAI_AUDIT_STRICT=1：未审计视为失败")
        sys.exit(1)
    print("（在能访问 PyPI 的机器上用 GONGKAI_AUDIT_STRICT=1 make security 完成审计）")
    sys.exit(0)
print(f"pip-audit：{audited} 个依赖均无已知漏洞（{seconds} 秒）")
PY
[ $? -eq 0 ] || status=1
exit $status
