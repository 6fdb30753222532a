"""``kg_relation_scorer``: a trained scorer that adds relations the rules miss and drops ones they wrongly make.

Placed after the rule relation components, it scores every candidate pair of
each article (:func:`kg.nlp.relscorer.candidate_pairs`: same-sentence pairs the
schema allows, and every rule relation) with the logistic model of a model
folder (``kg train-relations``; empty ``model``: the packaged
``kg/models/relation_scorer``). Per relation type the ``policy`` says what to
do with the scores:

- ``"add"``: a pair no rule proposed becomes a relation when its probability
  is at least the add threshold;
- ``"filter"``: a rule relation whose probability is below the filter
  threshold is dropped;
- ``"both"``: both; ``"off"`` (or a type not named): the rules' relations stand.

An empty ``policy`` takes the per-type choice that cross-validation made and
the model folder records (``meta.json``: ``policies``). The thresholds of a type
are those cross-validation found best for its action (``meta.json``: ``cv``);
``threshold`` (add) and ``filter_threshold`` override them when set (>= 0).
Rule relations keep their component and properties; added ones name this
component, with ``basis: "model"`` on LOCATED_IN. Relations the build adds
after the pipeline (the administrative hierarchy from codes) are untouched,
and the scorer adds none between two coded places (:func:`kg.nlp.relscorer.addable`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.relscorer import ArticleIndex, RelationModel, RuleIndex, addable, candidate_pairs, pair_features
from kg.nlp.spans import ArticleState, document_state
from kg.resources import resource_dir

ACTIONS = ("add", "filter", "both", "off")
COMPONENT = "kg_relation_scorer"


def default_model() -> Path:
    """The packaged model folder."""
    return resource_dir("models") / "relation_scorer"


@lru_cache(maxsize=4)
def _load(folder: str) -> RelationModel:
    return RelationModel.from_disk(Path(folder))


def _thresholds(meta: dict, rel_type: str, action: str, threshold: float, filter_threshold: float) -> tuple[float, float]:
    """(add, filter) thresholds of a type: the settings when >= 0, else the best of that action in the model's CV, else 0.5 / 0.1."""
    tuned = meta.get("cv", {}).get(rel_type, {}).get(action, {}).get("policy", {})
    add = threshold if threshold >= 0 else float(tuned.get("add_threshold", 0.5))
    drop = filter_threshold if filter_threshold >= 0 else float(tuned.get("filter_threshold", 0.1))
    return add, drop


class RelationScorer:
    """The component: see the module docstring."""

    def __init__(self, model: RelationModel, policy: dict[str, str], thresholds: dict[str, tuple[float, float]]) -> None:
        self.model = model
        self.policy = policy
        self.thresholds = thresholds

    def __call__(self, doc: Doc) -> Doc:
        for article in document_state(doc).articles:
            self.score_article(article)
        return doc

    def score_article(self, article: ArticleState) -> None:
        """Add and drop the article's relations as the policy says."""
        active = {t for t, action in self.policy.items() if action != "off"}
        if not active or not article.relations and not article.mentions:
            return
        rules = RuleIndex.of(article.relations)
        index = ArticleIndex(article)
        candidates = [c for c in candidate_pairs(article, rules, index=index) if c[0] in active]
        if not candidates:
            return
        probabilities = self.model.probabilities([pair_features(article, *c, rules, index) for c in candidates])
        score = dict(zip(candidates, probabilities.tolist()))
        kept = []
        for relation in article.relations:
            key = (relation.type, relation.head, relation.tail)
            action = self.policy.get(relation.type, "off")
            if action in ("filter", "both") and key in score and score[key] < self.thresholds[relation.type][1]:
                continue
            kept.append(relation)
        article.relations[:] = kept
        for (rel_type, head, tail), probability in score.items():
            if self.policy.get(rel_type) in ("add", "both") and (rel_type, head, tail) not in rules.pairs \
                    and probability >= self.thresholds[rel_type][0] and addable(article, rel_type, head, tail):
                position = min(article.mentions[head].start, article.mentions[tail].start)
                props = {"basis": "model"} if rel_type == "LOCATED_IN" else {}
                article.relate(rel_type, head, tail, position, COMPONENT, **props)


@Language.factory(
    COMPONENT,
    default_config={"model": "", "policy": {}, "threshold": -1.0, "filter_threshold": -1.0},
)
def make_relation_scorer(nlp: Language, name: str, model: str, policy: dict[str, str], threshold: float,
                         filter_threshold: float) -> RelationScorer:
    """The scorer with the model of folder ``model`` (empty: the packaged one) and a per-type ``policy``.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> scorer = nlp.add_pipe("kg_relation_scorer", config={"policy": {"OPERATES": "add"}, "threshold": 0.7})
    >>> scorer.policy, scorer.thresholds["OPERATES"][0]
    ({'OPERATES': 'add'}, 0.7)
    """
    folder = Path(model) if model else default_model()
    loaded = _load(str(folder.resolve()))
    recorded = loaded.meta.get("policies", {})
    if policy:
        unknown = {a for a in policy.values() if a not in ACTIONS}
        if unknown:
            raise ValueError(f"{name}: unknown policy action(s) {sorted(unknown)} (known: {', '.join(ACTIONS)})")
        chosen = dict(policy)
    else:
        chosen = {t: ("off" if p["action"] == "rules" else p["action"]) for t, p in recorded.items()}
    thresholds = {rel_type: _thresholds(loaded.meta, rel_type, action, threshold, filter_threshold) for rel_type, action in chosen.items()}
    return RelationScorer(loaded, chosen, thresholds)
