"""The ``gongkai`` console script: ``manage.py`` with the project settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    if sys.argv[1:2] == ["check_text"]:
        # Checked per file by scripts: skips loading the apps it does not need (issue 18).
        from gongkai.checks.cli import fast_path_applies
        from gongkai.checks.cli import main as check_text_main

        if fast_path_applies(sys.argv):
            sys.exit(check_text_main(sys.argv))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
