"""Markdown tables from the JSON results of scripts/tagger_experiments.py (for MODEL_CARD.md).

    python scripts/tagger_report.py RESULTS_DIR NAME [NAME ...]

One row per experiment: CV span F1 per type and overall, with the rules-only row first.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TYPES = ["Place", "Enterprise", "Person", "Chain", "Project", "Organization", "all"]
CLUENER = ["Enterprise", "Person", "Organization", "Place", "all"]  # company, name, government+organization, address


def main() -> None:
    """Print the CV table, then the CLUENER held-out table for the experiments that have one."""
    folder = Path(sys.argv[1])
    names = sys.argv[2:]
    records = [json.loads((folder / f"{name}.json").read_text()) for name in names if (folder / f"{name}.json").is_file()]
    if not records:
        return
    print("| experiment | docs | extra sentences | " + " | ".join(TYPES) + " | CPU s |")
    print("|---|---|---|" + "---|" * len(TYPES) + "---|")
    first = records[0]
    print(f"| rules only (hints) | {first['documents']} | - | " + " | ".join(f"{first['cv_rules'][t]['f1']:.3f}" for t in TYPES) + " | - |")
    for record in records:
        print(f"| {record['name']} | {record['documents']} | {record['extra_sentences']} | "
              + " | ".join(f"{record['cv_model'][t]['f1']:.3f}" for t in TYPES) + f" | {record['cpu_s']} |")
    with_cluener = [r for r in records if r.get("cluener_heldout")]
    if with_cluener:
        print()
        print("| experiment | " + " | ".join(CLUENER) + " |")
        print("|---|" + "---|" * len(CLUENER))
        for record in with_cluener:
            print(f"| {record['name']} | " + " | ".join(f"{record['cluener_heldout'][t]['f1']:.3f}" for t in CLUENER) + " |")


if __name__ == "__main__":
    main()
