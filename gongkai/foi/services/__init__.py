"""Writes of 依申请公开: the statutory case workflow (条例第二十七条至第四十五条).

Every service is atomic, refuses a step the case's status does not allow (with a Chinese
message), writes one `CaseEvent` and one audit row in the same transaction, and recomputes the
stored `due_date` from the case's events through the deadline engine (`deadlines.py`).
An archived case is read-only: every service that changes a case refuses it. A service that
issues a notice or letter uses two short transactions around its rendering, so that no row
lock is held while it renders, and saves nothing if the case changed in between (``letters``).

The package is split by responsibility (one module per stage of a case; the transition table
lives in ``base``); this module re-exports every public name so callers import from
``gongkai.foi.services`` alone.
"""

from .assignment import (
    case_assign,
)
from .base import (
    STEP_LABELS,
    TRANSITIONS,
    CaseError,
    _check_step,
    _event,
    _lock,
)
from .clock import (
    EXPLANATION_BASIS,
    EXPLANATION_REASON,
    EXPLANATION_WAIT,
    FEE_WAIT,
    PAUSE_REASONS,
    _recompute,
    _save,
    deadline_events,
    deadline_result,
)
from .consultations import (
    consultation_reply,
    consultation_start,
)
from .corrections import (
    CORRECTION_FIELDS,
    correction_forward,
    correction_record,
    correction_reply,
    correction_submit,
)
from .delivery import (
    case_archive,
    case_deliver,
)
from .extensions import (
    case_extend,
)
from .fee_notices import (
    applications_before_in_month,
    fee_notice_issue,
    fee_notice_receipt_record,
    fee_paid,
    fee_unpaid,
    fee_wait_excluded,
)
from .intake import (
    APPLICANT_FIELDS,
    QUERY_CODE_ALPHABET,
    case_confirm_receipt,
    case_record,
    case_submit,
)
from .proactive import (
    case_propose_proactive,
    item_propose_proactive,
    proactive_proposal_decide,
)
from .records import (
    admin_review_record,
    case_view_personal,
    query_code_matches,
)
from .reminders import (
    foi_reminders_send,
)
from .replies import (
    REVIEW_STEPS,
    case_reply,
    current_reply,
    reply_letter_record,
    reply_letter_submit_problem,
    reply_template_for,
)
from .reply_templates import (
    TEMPLATE_PLACEHOLDERS,
    reply_template_save,
)
from .supplements import (
    case_mark_abandoned,
    case_receive_explanation,
    case_receive_supplement,
    case_reply_deferral_set,
    case_request_explanation,
    case_request_supplement,
    explanation_accepted,
)
from .targets import (
    case_mark_difficult,
    internal_target_set,
)

__all__ = [
    "APPLICANT_FIELDS",
    "CORRECTION_FIELDS",
    "EXPLANATION_BASIS",
    "EXPLANATION_REASON",
    "EXPLANATION_WAIT",
    "FEE_WAIT",
    "PAUSE_REASONS",
    "QUERY_CODE_ALPHABET",
    "REVIEW_STEPS",
    "STEP_LABELS",
    "TEMPLATE_PLACEHOLDERS",
    "TRANSITIONS",
    "CaseError",
    "_check_step",
    "_event",
    "_lock",
    "_recompute",
    "_save",
    "admin_review_record",
    "applications_before_in_month",
    "case_archive",
    "case_assign",
    "case_confirm_receipt",
    "case_deliver",
    "case_extend",
    "case_mark_abandoned",
    "case_mark_difficult",
    "case_propose_proactive",
    "case_receive_explanation",
    "case_receive_supplement",
    "case_record",
    "case_reply",
    "case_reply_deferral_set",
    "case_request_explanation",
    "case_request_supplement",
    "case_submit",
    "case_view_personal",
    "consultation_reply",
    "consultation_start",
    "correction_forward",
    "correction_record",
    "correction_reply",
    "correction_submit",
    "current_reply",
    "deadline_events",
    "deadline_result",
    "explanation_accepted",
    "fee_notice_issue",
    "fee_notice_receipt_record",
    "fee_paid",
    "fee_unpaid",
    "fee_wait_excluded",
    "foi_reminders_send",
    "internal_target_set",
    "item_propose_proactive",
    "proactive_proposal_decide",
    "query_code_matches",
    "reply_letter_record",
    "reply_letter_submit_problem",
    "reply_template_for",
    "reply_template_save",
]
