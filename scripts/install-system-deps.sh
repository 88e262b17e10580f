#!/usr/bin/env bash
# Debian packages the tests and PDF output need: Chromium for the browser tests, Noto CJK fonts
# and HarfBuzz subsetting for WeasyPrint (Chinese PDFs in well under a second), poppler for
# reading PDFs back in tests. With --smoke also what the deployment smoke test runs (`make
# smoke`): nginx in front of the app servers and openssl for its certificate; with --bench
# those and wrk (`make bench-web`).
set -euo pipefail
# `install-system-deps.sh fonts` (what `make run` calls): only the Chinese fonts PDF output needs.
# Without them Gongkai refuses to make PDFs rather than print empty boxes.
if [ "${1:-}" = "fonts" ]; then
  if dpkg -s fonts-noto-cjk >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q .; then
    exit 0
  fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装中文字体 fonts-noto-cjk（生成 PDF 需要）……"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null; then
      exit 0
    fi
    echo "安装 fonts-noto-cjk 失败，请检查网络或软件源后重试。" >&2
  else
    echo "缺少中文字体：生成 PDF（答复书、年度报告）需要 Debian/Ubuntu 软件包 fonts-noto-cjk。" >&2
    echo "请以 root 身份运行：apt-get install fonts-noto-cjk   （或 sudo make system-deps）" >&2
  fi
  if [ "${GONGKAI_SKIP_FONTS:-}" = "1" ]; then
    echo "已按 GONGKAI_SKIP_FONTS=1 继续：PDF 将无法生成，DOCX 不受影响。" >&2
    exit 0
  fi
  echo "如暂不需要 PDF，可用 GONGKAI_SKIP_FONTS=1 make run 跳过此项检查。" >&2
  exit 1
fi
need=()
if [ "${1:-}" = "--smoke" ] || [ "${1:-}" = "--bench" ]; then
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi
# --bench: `make bench-web` also needs the load generator.
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
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
