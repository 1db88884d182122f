"""The document library and the awareness-posts register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import errors_to_form
from volunteers.access import ALL_ROLES, role_required
from volunteers.authority import Action, authority_require

from ..filters import DocumentFilter, PostFilter
from ..forms import DocumentForm, PostForm
from ..resources import DocumentResource, PostResource
from ..selectors import (
    document_get_for,
    document_list_for,
    post_list_for,
    topics_for_user,
    unit_areas_for,
)
from ..services import document_add, document_delete, post_add, post_delete
from ..tables import DocumentTable, PostTable
from ..uploads import CONTENT_TYPES, document_max_bytes, extension_for
from .common import export_response, wants_export

PER_PAGE = 25


@role_required(ALL_ROLES)
def document_list(request: HttpRequest) -> HttpResponse:
    topics = topics_for_user(user=request.user)
    filterset = DocumentFilter(
        request.GET or None, queryset=document_list_for(user=request.user), topics=topics
    )
    if wants_export(request):
        return export_response(request, DocumentResource(), filterset.qs, "tai-lieu")
    table = DocumentTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "trainings/document_list.html", {"filter": filterset, "table": table})


@role_required(ALL_ROLES)
def document_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        areas=unit_areas_for(user=request.user),
        topics=topics_for_user(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_add(
                user=request.user,
                area=data["area"],
                title=data["title"],
                upload=data["file"],
                topics=list(data["topics"]),
                description=data["description"],
                published_on=data.get("published_on"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã thêm tài liệu vào thư viện."))
            return redirect("trainings:documents")
    return render(
        request, "trainings/document_form.html", {"form": form, "max_size": document_max_bytes()}
    )


@role_required(ALL_ROLES)
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = document_get_for(user=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    stem = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in document.title)[:80]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem.strip() or 'tai-lieu'}.{extension_for(document.kind)}",
        content_type=CONTENT_TYPES[document.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(ALL_ROLES)
@require_POST
def document_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for(user=request.user, pk=pk)
    # A city's document, read by the wards below, is removed only at the city or above.
    authority_require(user=request.user, action=Action.DELETE, obj=document)
    document_delete(user=request.user, document=document)
    messages.success(request, _("Đã xóa tài liệu."))
    return redirect("trainings:documents")


@role_required(ALL_ROLES)
def post_list(request: HttpRequest) -> HttpResponse:
    filterset = PostFilter(
        request.GET or None,
        queryset=post_list_for(user=request.user),
        areas=unit_areas_for(user=request.user),
    )
    if wants_export(request):
        return export_response(request, PostResource(), filterset.qs, "bai-tuyen-truyen")
    table = PostTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "trainings/post_list.html", {"filter": filterset, "table": table})


@role_required(ALL_ROLES)
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, areas=unit_areas_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post_add(
                user=request.user,
                area=data["area"],
                platform=data["platform"],
                url=data["url"],
                published_on=data["published_on"],
                reach=data["reach"],
                title=data["title"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã ghi nhận bài tuyên truyền."))
            return redirect("trainings:posts")
    return render(request, "trainings/post_form.html", {"form": form})


@role_required(ALL_ROLES)
@require_POST
def post_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(post_list_for(user=request.user), pk=pk)
    authority_require(user=request.user, action=Action.DELETE, obj=post)
    post_delete(user=request.user, post=post)
    messages.success(request, _("Đã xóa bài tuyên truyền."))
    return redirect("trainings:posts")
