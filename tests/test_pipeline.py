"""Stages declare what they read and write; the pipeline checks the order with the declarations."""
import copy

import pytest

import marsad
from marsad import pipeline
from marsad.ingest import make_document
from marsad.stages import declares

TEXT = "Syrian forces shelled Douma on Tuesday, killing 12 civilians, the Observatory said. Rebels withdrew."


def test_the_built_in_order_passes_and_every_built_in_stage_declares():
    pipeline.check_order(pipeline.stages())
    assert all(stage.requires and stage.assigns for _name, stage in pipeline.BUILTIN_STAGES)


def test_a_stage_before_the_stage_it_reads_from_is_an_error_naming_both():
    order = dict(pipeline.BUILTIN_STAGES)
    swapped = [(n, order[n]) for n in ("language", "sentences", "encode", "events", "mentions", "techniques")]
    with pytest.raises(ValueError, match="stage 'events' requires 'mentions'.*stage 'mentions' assigns it only later"):
        pipeline.check_order(swapped)


def test_a_requirement_no_stage_assigns_is_an_error():
    @declares(requires=("language", "relations"), assigns=("claims",))
    def claims(analysis):
        analysis.record["claims"] = []

    with pytest.raises(ValueError, match="stage 'claims' requires 'relations'.*no stage assigns it"):
        pipeline.check_order([*pipeline.BUILTIN_STAGES, ("claims", claims)])


def test_a_stage_without_declarations_is_accepted_and_runs():
    def word_count(analysis):
        analysis.record["word_count"] = len(analysis.record["text"].split())

    order = [*pipeline.BUILTIN_STAGES, ("word_count", word_count)]
    pipeline.check_order(order)
    analysis = pipeline.Analysis(marsad.record.new(make_document("d", TEXT)), options=pipeline.resolve_options({}))
    for _name, stage in order:
        stage(analysis)
    assert analysis.record["word_count"] == 14 and analysis.record["events"]


@pytest.mark.parametrize("text, language", [(TEXT, None), ("قصفت القوات السورية مدينة دوما يوم الثلاثاء.", "ar")])
def test_each_stage_writes_only_what_it_assigns(text, language):
    analysis = pipeline.Analysis(marsad.record.new(make_document("d", text, language=language)),
                                 options=pipeline.resolve_options({}))
    for name, stage in pipeline.stages():
        before = copy.deepcopy(analysis.record), set(analysis.scratch)
        stage(analysis)
        written = {k for k, v in analysis.record.items() if before[0].get(k, KeyError) != v}
        written |= set(analysis.scratch) - before[1]
        assert written <= set(stage.assigns), f"stage {name!r} wrote {written - set(stage.assigns)} undeclared"
    assert analysis.record["mentions"] and analysis.record["sentences"]
