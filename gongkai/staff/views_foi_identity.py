"""The applicant's identity document, for the handler: a POST (never a link a browser could
prefetch or a log could replay), audited, served from private storage as a download."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.permissions import staff_required
from gongkai.core.storage import private_file_response
from gongkai.foi.identity import identity_document_open

from .views_foi import _case_or_404


@staff_required
@require_POST
def case_identity_document(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    document = get_object_or_404(case.identity_documents, pk=doc_pk)
    # The service checks permission and audits; the bytes go out like every private file's
    # (streamed here, or by nginx through X-Accel-Redirect), not through its handle.
    identity_document_open(
        document=document, acting_user=request.user, ip_address=request.META.get("REMOTE_ADDR")
    ).close()
    return private_file_response(document.file, filename=document.original_name)
