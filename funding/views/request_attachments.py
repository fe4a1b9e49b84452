"""A request's documents: the attachments step, the download and the removal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.web import acting_user, confirm_delete, serve_file

from .. import services
from ..forms_requests import AttachmentForm
from ..models import Attachment, FundingRequest
from ..permissions import get_request_for_user
from .request_common import add_service_errors, after_save, get_editable, render_step, step_url


def step_attachments(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    """Step 6: upload documents one by one; saving the step moves on."""
    uploading = request.method == "POST" and request.POST.get("action") == "upload"
    form = AttachmentForm(request.POST, request.FILES) if uploading else AttachmentForm()
    if uploading and form.is_valid():
        try:
            services.attachment_add(
                request=funding_request,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=acting_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was attached."))
            return redirect(step_url(funding_request, 6))
    elif request.method == "POST" and not uploading:
        try:
            services.request_update(request=funding_request, step=6)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return after_save(request, funding_request, 6)
    attachments = list(funding_request.attachments.all())
    return render_step(
        request,
        funding_request,
        6,
        "funding/step_attachments.html",
        {"form": form, "attachments": attachments},
    )


def _get_attachment(funding_request: FundingRequest, attachment_pk: int) -> Attachment:
    attachment = Attachment.objects.filter(request=funding_request, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    attachment.request = funding_request
    return attachment


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A request's document for whoever may read the request; never a public URL."""
    funding_request = get_request_for_user(request.user, pk)
    attachment = _get_attachment(funding_request, attachment_pk)
    return serve_file(attachment.file)


@require_http_methods(["GET", "POST"])
@login_required
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Confirm (GET) and remove (POST) a document while the request can be changed."""
    funding_request = get_editable(request, pk)
    attachment = _get_attachment(funding_request, attachment_pk)
    return confirm_delete(
        request,
        delete=lambda: services.attachment_delete(attachment=attachment),
        template="funding/request_attachment_delete.html",
        context={"funding_request": funding_request, "attachment": attachment},
        next_url=step_url(funding_request, 6),
        success_message=_("The document was removed."),
    )
