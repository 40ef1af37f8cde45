"""The README's configuration table is the one the declarations in hytu_events/config.py print,
so a default or a meaning changed in one place only fails here."""

import difflib
import subprocess
from collections import Counter

from hytu_events import config
from hytu_events.config import PROJECT_ROOT


def _readme_table() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_the_readme_shows_the_declared_settings():
    documented, declared = _readme_table(), config.settings_table()
    difference = "\n".join(
        difflib.unified_diff(
            documented.splitlines(),
            declared.splitlines(),
            "README.md",
            "hytu_events/config.py",
            lineterm="",
            n=0,
        )
    )
    assert documented == declared, (
        "The README's configuration table is not the declared one: replace it with the "
        f"output of `make settings-table`.\n{difference}"
    )


def test_make_prints_the_table():
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "settings-table"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout == config.settings_table() + "\n"


def test_each_setting_is_declared_once():
    keys = Counter(setting.key for setting in config.SETTINGS if setting.key)
    variables = Counter(setting.variable for setting in config.SETTINGS if setting.variable)
    assert [key for key, count in keys.items() if count > 1] == []
    assert [name for name, count in variables.items() if count > 1] == []
    assert set(config.from_environment()) == set(keys)
