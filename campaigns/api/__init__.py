"""A read-only JSON API of campaign totals by area, for the city's operations centre (IOC).

django-ninja: the request and response models (schemas.py, params.py) are the code, and the
OpenAPI document at api/v1/openapi.json is generated from them. Authenticated by
`Authorization: Bearer <key>` (auth.py; keys in campaigns/tokens.py). Every error under the
path is JSON (errors.py, and middleware.py for what Django answers before a view: unknown
paths, methods other than GET).
"""

from ninja import NinjaAPI

from .area_views import router as area_router
from .auth import TokenAuth
from .campaign_views import router as campaign_router
from .errors import install_error_handlers
from .params import StrictParser

API_PREFIX = "/campaigns/api/"

DESCRIPTION = """Read-only totals of Từng Nhà's campaigns by area, for the city's operations
centre. Every figure is counted from the records (visits, trainings, documents, posts), never
typed.

**Keys.** Send `Authorization: Bearer <key>`. A person's key (made on the tokens page) sees what
that person sees; a service account's key (made by the city union) sees one area and its
subtree. Keys expire (90 days at most) and are rotated or revoked on the tokens page.

**Areas.** Two trees coexist: `legacy` (before 1 July 2025: province → district → ward) and
`current` (province → commune). National codes are reused across eras, so a unit is `(era,
code)`: wherever `area` (an id) is taken, `area_code` with `era` is taken too. `/areas/mapping/`
gives the old → new mapping, with `is_partial` for a ward split between communes.

**Polling.** Totals, subtrees and series carry an `ETag` and `Last-Modified` from the totals'
data version: send `If-None-Match` (or `If-Modified-Since`) and get `304 Not Modified` while
nothing moved. `changed_since` keeps only the rows that moved after a moment.

**Limits.** 120 requests a minute per key; past it `429` with `Retry-After` (seconds). An
address that sends 10 bad keys within a minute gets `429` for the rest of that minute.

**Errors.** Every error is JSON (`Error`): 400 bad parameter (integers are ASCII digits only;
a parameter given twice or empty is refused), 401 no or bad key, 404 unknown or outside the
key's scope (or of the other era), 405 any method but GET, 429, 500.
"""

SPREADSHEETS = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}
VALIDATORS = {
    "ETag": {"schema": {"type": "string"}, "description": "Send back as If-None-Match."},
    "Last-Modified": {"schema": {"type": "string"}, "description": "HTTP date."},
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}


class TungNhaAPI(NinjaAPI):
    """Adds to the generated document what pydantic models cannot say: the spreadsheet forms
    of an answer (`x-spreadsheets` on an operation) and the headers of 200, 304 and 429."""

    def get_openapi_schema(self, *args: object, **kwargs: object) -> dict:
        document = super().get_openapi_schema(*args, **kwargs)
        for item in document["paths"].values():
            operation = item.get("get")
            if operation is None:
                continue
            responses = operation["responses"]
            if operation.pop("x-spreadsheets", False):
                responses[200]["content"].update(SPREADSHEETS)
            if 304 in responses:
                responses[200]["headers"] = VALIDATORS
                responses[304]["headers"] = VALIDATORS
            if 429 in responses:
                responses[429]["headers"] = RETRY_AFTER
        return document


api = TungNhaAPI(
    title="Từng Nhà — campaign totals API",
    version="2.0.0",
    description=DESCRIPTION,
    auth=[TokenAuth()],
    parser=StrictParser(),
    urls_namespace="campaigns",
    docs_url=None,  # the docs page loads scripts from a CDN; the document is enough
)
api.add_router("", campaign_router)
api.add_router("", area_router)
install_error_handlers(api)


def api_urlpatterns() -> list:
    """The API's URLs, inside the campaigns namespace; every view declares it is public at the
    URL level (the key is checked by the API itself)."""
    patterns = api.urls[0]
    for pattern in patterns:
        pattern.callback.access_roles = "public"
    return patterns
