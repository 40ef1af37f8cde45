"""The README's CLI section works as written, for someone who has just run `make run`.

Each command line of its ```sh block runs in a shell from the checkout, in a fresh instance
folder, without an activated virtualenv, FLASK_DEBUG or SECRET_KEY. Placeholders get sample
values from SAMPLES; a command the README gains without an entry here fails the test, so a
new command is tried before a reader tries it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hytu_events.config import PROJECT_ROOT
from tests.conftest import unavailable

FLASK = ".venv/bin/flask --app hytu_events"
FIRST, SECOND = "aino.aikio@example.fi", "olli.ojala@example.fi"
AS_WRITTEN: list[dict[str, str]] = [{}]

#: README command -> the sample values of its placeholders, one run per sample.
SAMPLES: dict[str, list[dict[str, str]]] = {
    f"{FLASK} db upgrade": AS_WRITTEN,
    f"{FLASK} seed": AS_WRITTEN,
    f"{FLASK} seed --demo": AS_WRITTEN,
    f"""printf '%s\\n' "$PW" | {FLASK} users create --email E --name N --role admin""": [
        {"E": FIRST, "N": "'Aino Aikio'"},
        {"E": SECOND, "N": "'Olli Ojala'"},  # so that the first may step down
    ],
    f"{FLASK} users list": AS_WRITTEN,
    f"{FLASK} users set-role EMAIL ROLE": [{"EMAIL": SECOND, "ROLE": "coordinator"}],
    f"{FLASK} users deactivate EMAIL": [{"EMAIL": SECOND}],
    f"{FLASK} users reactivate EMAIL": [{"EMAIL": SECOND}],
    f"""printf '%s\\n' "$PW" | {FLASK} users set-password EMAIL""": [{"EMAIL": FIRST}],
    f"{FLASK} mail send": AS_WRITTEN,
    f"{FLASK} mail worker": AS_WRITTEN,
    f"{FLASK} mail reminders": AS_WRITTEN,
    f"{FLASK} mail purge": AS_WRITTEN,
    f"{FLASK} feedback send": AS_WRITTEN,
    f"{FLASK} privacy expire --dry-run": AS_WRITTEN,
    f"{FLASK} privacy expire": AS_WRITTEN,
    f"{FLASK} plan import FILE.csv": [{"FILE.csv": "{tmp}/indicator-values.csv"}],
    f"{FLASK} plan export --what measures -o FILE.csv": [{"FILE.csv": "{tmp}/measures.csv"}],
}
#: Commands that run until stopped: stopped (SIGTERM) once this line shows they did a round.
RUN_UNTIL_STOPPED = {f"{FLASK} mail worker": "No SMTP server configured"}
#: Seconds one command may take, and all of them together.
EACH_SECONDS, TOTAL_SECONDS = 30, 180


def readme_commands() -> list[str]:
    """The command lines of the README's CLI section, comments and continuation lines off."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## CLI\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's CLI section has no ```sh block"
    lines = (re.sub(r"(^|\s)#.*", "", line).strip() for line in block.group(1).splitlines())
    return [line for line in lines if line]


def with_samples(command: str, samples: dict[str, str], tmp: Path) -> str:
    """`command` with each placeholder word replaced by its sample value."""
    words = command.split()
    for placeholder in samples:
        assert placeholder in words, f"{placeholder} is no longer in {command!r}: update SAMPLES"
    values = {placeholder: value.format(tmp=tmp) for placeholder, value in samples.items()}
    return re.sub(r"\S+", lambda word: values.get(word[0], word[0]), command)


def a_new_users_shell(instance: Path) -> dict[str, str]:
    """The environment of a new terminal: no virtualenv on PATH, no Flask or app settings."""
    venv_bin = Path(sys.prefix, "bin").resolve()
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and Path(entry).resolve() != venv_bin
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "HYTU_", "MAIL_"))
        and key not in {"VIRTUAL_ENV", "SECRET_KEY", "DATABASE_URL", "BASE_URL", "PYTHONPATH"}
    }
    # A fresh checkout's instance/ is here instead, so the test leaves the real one alone.
    env.update(PATH=os.pathsep.join(path), HYTU_INSTANCE_PATH=str(instance))
    env["PW"] = "revontulet ja tunturit"
    return env


def run(command: str, env: dict[str, str], stop_after: str | None = None):
    """(exit status, output) of `command` in bash; a long-running one is stopped by SIGTERM
    once it has printed `stop_after`; anything still running after EACH_SECONDS is killed."""
    shell = subprocess.Popen(
        ["bash", "-c", command],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a signal reaches every process of a pipeline
    )
    watchdog = threading.Timer(EACH_SECONDS, os.killpg, (shell.pid, signal.SIGKILL))
    watchdog.start()
    output = []
    try:
        if stop_after:
            while line := shell.stdout.readline():
                output.append(line)
                if stop_after in line:
                    os.killpg(shell.pid, signal.SIGTERM)
                    break
        output.append(shell.communicate()[0])
    finally:
        watchdog.cancel()
    if shell.returncode == -signal.SIGKILL:
        output.append(f"(still running after {EACH_SECONDS} s: killed)")
    return shell.returncode, "".join(output)


def test_every_readme_command_has_sample_arguments():
    commands = readme_commands()
    missing = [command for command in commands if command not in SAMPLES]
    assert not missing, f"README commands without an entry in SAMPLES: {missing}"
    stale = [command for command in SAMPLES if command not in commands]
    assert not stale, f"SAMPLES names commands the README no longer has: {stale}"


def test_readme_commands_work_as_written_after_make_run(tmp_path):
    if not (PROJECT_ROOT / ".venv" / "bin" / "flask").exists():
        unavailable("the README's commands need the checkout's .venv (make install)")
    instance = tmp_path / "instance"
    env = a_new_users_shell(instance)
    (tmp_path / "indicator-values.csv").write_text(
        "indicator,municipality,year,value\nhytu-plans,,2025,3\n", encoding="utf-8"
    )
    # What `make run` does before it serves: with FLASK_DEBUG it stores instance/secret_key.
    status, output = run(f"FLASK_DEBUG=1 {FLASK} db upgrade", env)
    assert status == 0, output
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0

    started = time.monotonic()
    failures = []
    for command in readme_commands():
        if command not in SAMPLES:
            continue  # the test above names it
        for samples in SAMPLES[command]:
            ran = with_samples(command, samples, tmp_path)
            status, output = run(ran, env, stop_after=RUN_UNTIL_STOPPED.get(command))
            if status != 0 or "Traceback" in output:
                failures.append(f"$ {ran}\n(exit status {status})\n{output}")
    elapsed = time.monotonic() - started
    assert not failures, "\n\n".join(failures)
    assert (tmp_path / "measures.csv").read_text(encoding="utf-8").startswith("code,title")
    assert elapsed < TOTAL_SECONDS, f"the README's commands took {elapsed:.0f} s"
