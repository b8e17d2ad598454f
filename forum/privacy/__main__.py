"""`python -m forum.privacy < text` prints the findings as JSON (for score.py --cmd)."""
import json
import sys
from dataclasses import asdict

from .scanner import scan


def main() -> None:
    text = sys.stdin.read()
    print(json.dumps([asdict(f) for f in scan(text)], ensure_ascii=False))


if __name__ == "__main__":
    main()
