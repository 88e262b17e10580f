"""Cross-app browser tests (Playwright + Debian chromium + axe-core)."""
