"""Knowledge checks: the questions as a form shows them, validating a submission, and grading it.

Nothing here writes; `peerpath.training.progress.commands.submit_check` records what it grades.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ..models import CheckAttempt
from .errors import IncompleteAnswers, InvalidAnswers

# Block ids are UUIDs (36 characters); anything much longer is not an id we issued.
MAX_ID_LENGTH = 64


def question_form(module, submitted=None):
    """The check's questions for a form: ids, prompts and choices, never which are correct."""
    submitted = submitted or {}
    questions = []
    for block in module.check_questions:
        chosen = set(submitted.get(block.id, ()))
        questions.append(
            {
                "id": block.id,
                "prompt": block.value["prompt"],
                "kind": block.value["kind"],
                "choices": [
                    {"id": item.id, "text": item.value["text"], "checked": item.id in chosen}
                    for item in block.value["choices"].bound_blocks
                ],
            }
        )
    return questions


@dataclasses.dataclass
class QuestionResult:
    """How one question was answered."""

    id: str
    prompt: str
    kind: str
    choices: list[dict]
    explanation: str
    is_correct: bool


@dataclasses.dataclass
class CheckResult:
    """A scored submission: per-question results, score (%), pass mark and whether it passed."""

    questions: list[QuestionResult]
    score: int
    pass_mark: int
    passed: bool
    attempt: CheckAttempt | None = None
    module_completed: bool = False
    programme_completed: bool = False

    @property
    def correct_count(self):
        return sum(1 for question in self.questions if question.is_correct)

    @classmethod
    def for_attempt(cls, module, attempt, programme):
        """Rebuild the feedback for a stored attempt (questions since removed are left out)."""
        answers = attempt.answers if isinstance(attempt.answers, dict) else {}
        questions = [
            grade_question(block, answers.get(block.id, []))
            for block in module.check_questions
            if block.id in answers
        ]
        return cls(
            questions=questions,
            score=attempt.score,
            pass_mark=module.pass_mark_for(programme),
            passed=attempt.passed,
            attempt=attempt,
        )


def grade_question(block, chosen):
    chosen = set(chosen)
    choices = [
        {
            "id": item.id,
            "text": item.value["text"],
            "chosen": item.id in chosen,
            "is_correct": bool(item.value["is_correct"]),
        }
        for item in block.value["choices"].bound_blocks
    ]
    correct = {choice["id"] for choice in choices if choice["is_correct"]}
    return QuestionResult(
        id=block.id,
        prompt=block.value["prompt"],
        kind=block.value["kind"],
        choices=choices,
        explanation=block.value["explanation"],
        is_correct=chosen == correct,
    )


def validate_answers(module, answers):
    """Check a submission against the module's questions; return `{question id: [choice ids]}`.

    `answers` maps question ids to the choice ids chosen. Anything a form could not have produced
    (unknown or duplicated ids, another question's choices, several answers to a single-choice
    question, values that are not short strings) raises `InvalidAnswers`; unanswered questions
    raise `IncompleteAnswers`. Nothing is written.
    """
    if not isinstance(answers, Mapping):
        raise InvalidAnswers()
    questions = {block.id: block for block in module.check_questions}
    if len(answers) > len(questions) or any(qid not in questions for qid in answers):
        raise InvalidAnswers()
    cleaned, missing = {}, []
    for question_id, block in questions.items():
        chosen = answers.get(question_id, [])
        if isinstance(chosen, str) or not isinstance(chosen, Sequence):
            raise InvalidAnswers()
        if not chosen:
            missing.append(question_id)
            continue
        if not all(isinstance(c, str) and 0 < len(c) <= MAX_ID_LENGTH for c in chosen):
            raise InvalidAnswers()
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswers()
        if block.value["kind"] == "single" and len(chosen) != 1:
            raise InvalidAnswers()
        choice_ids = {item.id for item in block.value["choices"].bound_blocks}
        if not set(chosen) <= choice_ids:
            raise InvalidAnswers()
        cleaned[question_id] = sorted(chosen)
    if missing:
        raise IncompleteAnswers(missing)
    return cleaned


def grade(module, answers, programme):
    """Score validated answers: all-or-nothing per question, score rounded down to a whole %."""
    questions = [grade_question(block, answers[block.id]) for block in module.check_questions]
    correct = sum(1 for question in questions if question.is_correct)
    pass_mark = module.pass_mark_for(programme)
    # Compare in whole numbers: 2 of 3 is 66.7%, which does not reach a pass mark of 67.
    passed = correct * 100 >= pass_mark * len(questions)
    return CheckResult(
        questions=questions,
        score=correct * 100 // len(questions),
        pass_mark=pass_mark,
        passed=passed,
    )


def parse_attempt_number(value):
    """The attempt number a form was issued for: a whole number in ASCII digits, or `InvalidAnswers`."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    raise InvalidAnswers()
