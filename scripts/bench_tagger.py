"""Characters per CPU second of EntityTagger.predict on the raw 2026 work reports (one process, one core).

    python scripts/bench_tagger.py [MODEL_DIR] [--texts DIR] [--no-hints]

Hints are the rules' own spans (computed first, not timed), as the pipeline would pass them.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.nlp.tagger import EntityTagger
from kg.resources import resource_dir
from kg.train.hints import rule_hints


def main() -> None:
    """Time feature extraction and tagging separately, then predict as a whole."""
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", type=Path, default=resource_dir("models") / "entity_crf")
    parser.add_argument("--texts", type=Path, default=Path("../shared/corpus/raw/gov_reports_2026"))
    parser.add_argument("--no-hints", action="store_true")
    args = parser.parse_args()
    files = sorted(args.texts.glob("*.txt"))
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    hints = {} if args.no_hints else rule_hints(args.texts)
    tagger = EntityTagger.from_disk(args.model)
    tagger.predict("预热：织金县建设新材料产业。")
    chars = sum(map(len, texts.values()))
    started = time.process_time()
    for name, text in texts.items():
        tagger.extractor(text, hints.get(name, []))
    featurise = time.process_time() - started
    started = time.process_time()
    spans = sum(len(tagger.predict(text, hints.get(name, []))) for name, text in texts.items())
    total = time.process_time() - started
    print(f"{chars} chars, {len(files)} files, {spans} spans")
    print(f"features only: {chars / featurise:,.0f} chars/s per core")
    print(f"predict: {chars / total:,.0f} chars/s per core ({total:.2f} CPU s)")


if __name__ == "__main__":
    main()
