"""`amends text train|eval`: training on the insurer's coded complaints, the model every process then uses."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amends.assembly.testing import receive
from amends.core.errors import RuleViolation
from amends.intake.models import Complaint
from amends.text import services, store, training
from amends.text.models import ComplaintText, TextModel
from amends.text.starter import examples

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fresh_store():
    store.forget()
    yield
    store.forget()


def _coded_history(world, n=30):
    texts, labels, _groups = examples()
    for i in range(n):
        complaint = receive(
            world.frontline,
            world.individual,
            claim_no=f"CL{i}",
            description=texts[i * 5 % len(texts)],
            touchpoint=labels["touchpoint"][i * 5 % len(texts)],
        )
        Complaint.objects.filter(pk=complaint.pk).update(category=labels["category"][i * 5 % len(texts)])
        complaint.case.refresh_from_db()
        services.complaint_code(
            actor=world.handler,
            complaint_id=complaint.pk,
            field="cause",
            code=labels["cause"][i * 5 % len(texts)],
            version=complaint.case.version,
        )


def test_coded_complaints_are_the_training_data(world, now):
    _coded_history(world, 3)
    receive(world.frontline, world.online, claim_no="X", touchpoint="")  # not coded at all: left out
    data = training.coded_complaints()
    assert len(data.texts) == 3
    assert data.labels["cause"] == ["company"] * 3 and all(data.labels["touchpoint"])
    assert data.labels["dimension"] == [None] * 3


def test_a_trained_model_replaces_the_starter_for_the_next_complaint(world, now):
    _coded_history(world)
    out = StringIO()
    # 30 texts hold out too few to compare with the starter, and dimension is not coded: only by force.
    with pytest.raises(CommandError, match="stays in use"):
        call_command("text", "train", stdout=StringIO())
    call_command("text", "train", "--force", stdout=out)
    row = TextModel.objects.get()
    assert f"Trained model {row.pk} on 30 coded texts" in out.getvalue() and "forced" in out.getvalue()
    assert row.examples == {"category": 30, "touchpoint": 30, "cause": 30, "dimension": 0}
    complaint = receive(world.frontline, world.online, claim_no="NEW", description="定损员态度很差")
    reading = ComplaintText.objects.get(complaint=complaint)
    assert reading.model == f"model:{row.pk}" and "dimension" not in reading.suggested


def test_training_with_too_little_history_is_refused_readably(world, now):
    with pytest.raises(RuleViolation):
        training.model_train(actor=None, dataset=training.coded_complaints(), trained_by="test")
    with pytest.raises(CommandError, match="at least 20 are needed"):
        call_command("text", "train")
    assert not TextModel.objects.exists()


def test_eval_prints_per_class_figures_beside_both_baselines(db, settings):
    settings.AMENDS_REAL_DATA_DIR = str(FIXTURES)
    out = StringIO()
    call_command("text", "eval", "--dataset", "tipdm", "--folds", "4", stdout=out)
    text = out.getvalue()
    assert "tipdm · class: 56 texts, 7 classes, 4-fold stratified CV" in text
    assert "劳动和社会保障" in text
    for line in ("model ", "keyword baseline ", "majority baseline "):
        assert line in text


def test_eval_of_a_missing_file_or_a_wrong_argument_is_a_readable_error(db, settings, tmp_path):
    settings.AMENDS_REAL_DATA_DIR = str(tmp_path)
    with pytest.raises(CommandError, match="Dataset file not found"):
        call_command("text", "eval", "--dataset", "cfpb-product")
    with pytest.raises(CommandError):
        call_command("text", "eval", "--dataset", "nope")
    with pytest.raises(CommandError, match="nothing to evaluate"):
        call_command("text", "eval")
