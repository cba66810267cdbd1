"""The chat finder on 420 labelled chat lines and the 10,000 most common English words: floors that a
community can live with (bench/chat_precision.py prints the figures and every miss)."""

from __future__ import annotations

from bench.chat_precision import english_mentions, evaluate, read_corpus
from bot.knowledge.domain import Knowledge


def test_precision_and_recall_on_labelled_chat(knowledge: Knowledge) -> None:
    corpus = read_corpus()
    assert len(corpus) >= 300 and sum(1 for _, labels in corpus if not labels) >= 90
    result = evaluate(knowledge, corpus)
    assert result.precision >= 0.96, result.extras
    assert result.recall >= 0.95, result.misses


def test_ordinary_english_is_not_taken_for_a_medicine(knowledge: Knowledge) -> None:
    _, false = english_mentions(knowledge)
    assert len(false) <= 3, false
