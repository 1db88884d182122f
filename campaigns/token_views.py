"""The API keys page: a person's keys and the systems' (service accounts)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import errors_to_form
from volunteers.access import COORDINATION, role_required

from .forms import ApiTokenForm, ServiceAccountForm
from .models import ApiToken
from .services import (
    api_token_create,
    api_token_revoke,
    api_token_rotate,
)
from .tokens import (
    service_account_create,
    service_account_revoke,
    service_accounts_for,
    service_scope_for,
    tokens_for,
)


def _token_action(request: HttpRequest) -> tuple[ApiToken | None, str | None]:
    """Rotate or revoke one of the keys the user may manage; the new raw key once, if any."""
    token = get_object_or_404(tokens_for(user=request.user), pk=request.POST.get("token") or 0)
    action = request.POST.get("action")
    try:
        if action == "rotate":
            _new, raw = api_token_rotate(token=token, user=request.user)
            messages.success(request, _("Đã đổi khóa %(name)s.") % {"name": token.name})
            return token, raw
        api_token_revoke(token=token, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return token, None
    messages.success(request, _("Đã thu hồi khóa %(name)s.") % {"name": token.name})
    return token, None


def _service_revoke(request: HttpRequest) -> None:
    """Revoke a whole service account (every key of it stops at once)."""
    account = get_object_or_404(
        service_accounts_for(user=request.user), pk=request.POST.get("account") or 0
    )
    try:
        service_account_revoke(account=account, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Đã thu hồi tài khoản hệ thống %(name)s: mọi khóa của nó ngừng hoạt động.")
        % {"name": account.name},
    )


@role_required(COORDINATION)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own IOC keys, and (for the city union) the service accounts' keys over their
    areas: create (the key is shown once), rotate and revoke."""
    action = request.POST.get("action") if request.method == "POST" else None
    service_scope = service_scope_for(user=request.user)
    form = ApiTokenForm(request.POST if action == "create" else None)
    service_form = (
        None
        if service_scope.is_empty
        else ServiceAccountForm(
            request.POST if action == "create-service" else None, scope=service_scope
        )
    )
    raw = None
    if action == "revoke-service":
        _service_revoke(request)
        return redirect("campaigns:api-tokens")
    if action in {"revoke", "rotate"}:
        _token, raw = _token_action(request)
        if raw is None:
            return redirect("campaigns:api-tokens")
    elif action == "create" and form.is_valid():
        try:
            _token, raw = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    elif action == "create-service" and service_form is not None and service_form.is_valid():
        try:
            _account, _token, raw = service_account_create(
                user=request.user, **service_form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(service_form, error)
        else:
            service_form = ServiceAccountForm(scope=service_scope)
    tokens = tokens_for(user=request.user)
    accounts = [] if service_scope.is_empty else service_accounts_for(user=request.user)
    context = {
        "form": form,
        "service_form": service_form,
        "service_accounts": accounts,
        "tokens": tokens,
        "raw": raw,
    }
    return render(request, "campaigns/api_tokens.html", context)
