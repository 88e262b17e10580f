#!/usr/bin/env bash
# Debian packages the tests and PDF output need: Chromium for the browser tests, Noto CJK fonts
# and HarfBuzz subsetting for WeasyPrint (Chinese PDFs in well under a second), poppler for
# reading PDFs back in tests. With --smoke also what the deployment smoke test runs (`make
# smoke`): nginx in front of the app servers and openssl for its certificate.
set -euo pipefail
need=()
if [ "${1:-}" = "--smoke" ]; then
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${need[*]}。请用 apt-get 安装（需要 root）。" >&2
  exit 1
fi
echo "安装系统软件包：${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
