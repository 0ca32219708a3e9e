"""Runs mypy over the configured packages and fails on any error beyond the recorded baseline.

`states/` and `workflow/kernel/` are held to zero errors (strict in pyproject.toml); the rest of the
tree may not regress: a file may not gain errors it did not have when the baseline was recorded
(`.ci/mypy-baseline.txt`, "<count> <path>" per line). `--update` rewrites the baseline after fixes
(counts may only go down in review)."""
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

BASELINE = Path(__file__).with_name("mypy-baseline.txt")
STRICT = ("states/", "workflow/kernel/")


def errors() -> Counter[str]:
    out = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], capture_output=True, text=True)
    print(out.stdout, end="")
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        sys.exit(out.returncode)
    return Counter(m.group(1) for m in re.finditer(r"^([^:\n]+\.py):\d+: error:", out.stdout, re.M))


def main() -> int:
    found = errors()
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{n} {path}\n" for path, n in sorted(found.items())))
        print(f"baseline: {sum(found.values())} errors in {len(found)} files")
        return 0
    allowed = Counter({path: int(n) for n, path in (line.split() for line in BASELINE.read_text().splitlines())})
    worse = [(path, n, allowed[path]) for path, n in sorted(found.items())
             if n > allowed[path] or path.startswith(STRICT)]
    for path, n, was in worse:
        print(f"mypy: {path} has {n} errors (baseline {was})", file=sys.stderr)
    print(f"mypy: {sum(found.values())} errors, baseline {sum(allowed.values())}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
