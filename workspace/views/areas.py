"""The administrative tree as coordinators browse it: search, a unit's page, adding a group."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from areas.forms import AreaSearchForm, ResidentialGroupForm
from areas.models import Area, Level
from areas.selectors import (
    area_children,
    area_predecessors,
    area_reach,
    area_search,
    area_successors,
)
from areas.services import residential_group_create
from volunteers.access import COORDINATION, WARD_AND_UP, role_required
from volunteers.scoping import scope_for


def _coordination_scope(request: HttpRequest):
    """The areas these pages serve: those of the user's coordinating roles only. A ward
    coordinator who is also a volunteer in another ward does not manage that ward's tree."""
    return scope_for(user=request.user, roles=COORDINATION)


def _area_in_scope(request: HttpRequest, pk: int, *, reach: bool = False) -> Area:
    """A unit of the user's scope; with `reach`, also a legacy unit it took over (to read)."""
    within = _coordination_scope(request).q(field="")
    return get_object_or_404(
        Area.objects.filter(area_reach(within=within) if reach else within), pk=pk
    )


@role_required(COORDINATION)
def search(request: HttpRequest) -> HttpResponse:
    form = AreaSearchForm(request.GET)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = area_search(
            text=form.cleaned_data["q"], within=_coordination_scope(request).q(field="")
        )
    return render(request, "areas/search.html", {"form": form, "results": results})


@role_required(COORDINATION)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area_in_scope(request, pk, reach=True)
    context = {
        "area": area,
        "ancestors": area.ancestors_and_self(),
        "children": area_children(area=area),
        "successors": area_successors(area=area),
        "predecessors": area_predecessors(area=area),
        # A legacy unit reached through its successor is read, not changed.
        "can_add_group": area.level == Level.WARD and _coordination_scope(request).contains(area),
        "group_form": ResidentialGroupForm(),
    }
    return render(request, "areas/detail.html", context)


@role_required(WARD_AND_UP)
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    ward = _area_in_scope(request, pk)
    if ward.level != Level.WARD:
        raise Http404
    form = ResidentialGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = residential_group_create(
                ward=ward, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": group.name})
            return redirect(ward.get_absolute_url())
    return render(request, "areas/group_form.html", {"ward": ward, "form": form})
