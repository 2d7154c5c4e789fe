"""Find Debian's chromium for the browser test, installing it only where that is wanted.

Installing is allowed only as root, and only when `CI` is set or SUMMARISE_INSTALL_CHROMIUM=1
(a developer's machine is never changed behind their back). Run it directly to install:
`sudo SUMMARISE_INSTALL_CHROMIUM=1 python tests/review/ensure_chromium.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CANDIDATES = ("chromium", "chromium-browser")
UPDATE_TIMEOUT_SECONDS = 300
INSTALL_TIMEOUT_SECONDS = 600


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def install_allowed() -> tuple[bool, str]:
    if os.name != "posix" or os.geteuid() != 0:
        return False, "not running as root"
    if not (os.environ.get("CI") or os.environ.get("SUMMARISE_INSTALL_CHROMIUM") == "1"):
        return False, "neither CI nor SUMMARISE_INSTALL_CHROMIUM=1 is set"
    if shutil.which("apt-get") is None:
        return False, "apt-get is not available"
    return True, ""


def _apt_get(*args: str, timeout: int) -> str | None:
    """Run apt-get; None on success, else a one-line reason."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        completed = subprocess.run(
            ["apt-get", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"apt-get {args[0]} took over {timeout} s"
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return f"apt-get {args[0]} failed ({completed.returncode}): {last}"
    return None


def ensure_chromium() -> tuple[str | None, str]:
    """(path to chromium, "") or (None, why the browser test must skip)."""
    found = find_chromium()
    if found:
        return found, ""
    allowed, why_not = install_allowed()
    if not allowed:
        return None, (
            f"chromium is not installed and will not be installed here ({why_not}); "
            "apt-get install chromium, or run the tests as root with SUMMARISE_INSTALL_CHROMIUM=1"
        )
    failure = _apt_get("update", timeout=UPDATE_TIMEOUT_SECONDS) or _apt_get(
        "install", "-y", "--no-install-recommends", "chromium", timeout=INSTALL_TIMEOUT_SECONDS
    )
    if failure:
        return None, f"installing chromium failed: {failure}"
    found = find_chromium()
    return (found, "") if found else (None, "chromium installed but not found on PATH")


if __name__ == "__main__":
    path, reason = ensure_chromium()
    print(path or reason)
    sys.exit(0 if path else 1)
