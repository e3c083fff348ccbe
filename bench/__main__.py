"""Run benchmarks: `python -m bench` runs every `bench/*_bench.py`, `python -m bench NAME` one.

Each benchmark module has a `main(argv)`; arguments after NAME are passed on.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def available() -> list[str]:
    return sorted(p.stem.removesuffix("_bench") for p in Path(__file__).parent.glob("*_bench.py"))


def run(name: str, argv: list[str]) -> int:
    module = importlib.import_module(f"bench.{name}_bench")
    return int(module.main(argv) or 0)


def dispatch(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(f"usage: python -m bench [{'|'.join(available())}] [arguments…]")
        return 0
    if argv:
        return run(argv[0].removesuffix("_bench"), argv[1:])
    return max((run(name, []) for name in available()), default=0)


if __name__ == "__main__":
    sys.exit(dispatch(sys.argv[1:]))
