"""ODK Central: session login, OData submission pages, attachments, review write-back.

Endpoints used (ODK Central API, docs/api.yaml in getodk/central-backend):

- ``POST /v1/sessions`` {email, password} -> {token, csrf, expiresAt, createdAt}; the token is
  sent as ``Authorization: Bearer``; a 401 later means it expired: log in once more.
- ``GET /v1/projects`` and ``GET /v1/projects/{p}/forms`` (``X-Extended-Metadata: true``:
  with submission counts) -> what the account may see, to choose a project and form from.
- ``GET /v1/projects/{p}/forms/{f}.svc/Submissions?$top=N&$filter=…`` -> {"value": [...],
  "@odata.nextLink": "…$skiptoken=…"}; the next page is fetched by following nextLink as
  given. Incremental pulls filter on ``__system/submissionDate`` and ``__system/updatedAt``;
  ``$count=true`` adds ``@odata.count``, the rows matching the filter (progress).
- ``GET …/submissions/{instanceId}/attachments/{name}`` with ``If-None-Match`` -> 200 + ETag
  or 304: a photo is downloaded once.
- ``PATCH …/submissions/{instanceId}`` {"reviewState": …} and
  ``POST …/submissions/{instanceId}/comments`` {"body": …}.

Network failures, 5xx and 429 answers are retried with exponential backoff; when the
retries run out the pull stops with :class:`OdkError`, and because the cursor (the nextLink
of the page not yet stored) was saved with every stored page, the next pull resumes there.

Photos are downloaded concurrently (:meth:`OdkClient.run_concurrently`): a bounded pool of
``workers`` threads (default 8), each with its own ``requests.Session`` for the duration of
one page's downloads; results come back in submission order. The client is thread-safe:
the token is shared, and a 401 leads to one re-login at a time across threads.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from ...i18n import tr
from ..limits import LIMITS
from ..records import (
    AttachmentMissing,
    AttachmentRef,
    AttachmentRefused,
    Page,
    RawSubmission,
    SourceError,
    content_version,
    float_or_none,
    photo_names,
    pick,
    plain_text,
    text_or_none,
)
from ..states import Problem, QuarantineReason, ReviewDecision

_CTX = "Intake"
PASSWORD_ENV = "CITYMGMT_ODK_PASSWORD"
RETRY_STATUS = {500, 502, 503, 504, 429}
WORKERS = 8  # concurrent photo downloads
_T = TypeVar("_T")

# Our decisions as ODK Central review states.
REVIEW_STATES = {
    ReviewDecision.ACCEPT_NEW: "approved",
    ReviewDecision.UPDATE_EXISTING: "approved",
    ReviewDecision.DUPLICATE: "rejected",
    ReviewDecision.REJECT: "rejected",
    ReviewDecision.HAS_ISSUES: "hasIssues",
}


class OdkError(SourceError):
    """ODK Central could not be reached or refused (message translated); ``detail`` is the
    server's own message, when it sent one."""

    def __init__(self, message: str, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


def server_message(resp: Any) -> str | None:
    """The ``message`` of an ODK Central problem response ({"code": …, "message": …})."""
    try:
        body = resp.json()
    except ValueError:
        return None
    message = body.get("message") if isinstance(body, dict) else None
    return str(message) if message else None


class OdkClient:
    """A logged-in ODK Central client over ``requests`` with retry and backoff."""

    def __init__(
        self,
        base_url: str,
        email: str,
        password: str,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        workers: int = WORKERS,
        photo_bytes: int = LIMITS.photo_bytes,
    ) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        if self.base_url.endswith("/v1"):
            self.base_url = self.base_url[:-3]
        self.email = email
        self._password = password
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.workers = max(1, int(workers))
        self.photo_bytes = photo_bytes  # a photo over this is not downloaded past it
        self._session = requests.Session()  # the calling thread's; workers get their own
        self._local = threading.local()
        self._lock = threading.Lock()  # counters
        self._login_lock = threading.Lock()  # one login at a time across threads
        self.token: str | None = None
        self.requests_made = 0

    @property
    def http(self) -> Any:
        """The ``requests.Session`` of the current thread (a pool worker has its own)."""
        return getattr(self._local, "session", None) or self._session

    def run_concurrently(self, calls: Sequence[Callable[[], _T]]) -> list[_T]:
        """Run ``calls`` on up to ``workers`` threads; their results in the order of ``calls``.

        Each worker thread has its own ``requests.Session``, closed when the calls are done.
        When a call raises, the calls not started yet are cancelled, the running ones are
        waited for, and the exception of the first failed call (in call order) is raised.
        """
        if self.workers == 1 or len(calls) < 2:
            return [call() for call in calls]
        sessions: list[Any] = []

        def start_worker() -> None:
            import requests

            session = requests.Session()
            self._local.session = session
            with self._lock:
                sessions.append(session)

        try:
            with ThreadPoolExecutor(
                max_workers=min(self.workers, len(calls)),
                thread_name_prefix="odk-fetch",
                initializer=start_worker,
            ) as pool:
                futures = [pool.submit(call) for call in calls]
                wait(futures, return_when=FIRST_EXCEPTION)
                if any(f.done() and not f.cancelled() and f.exception() for f in futures):
                    for f in futures:
                        f.cancel()
                    wait(futures)
                for f in futures:
                    if not f.cancelled() and f.exception() is not None:
                        raise f.exception()  # type: ignore[misc]
                return [f.result() for f in futures]
        finally:
            for session in sessions:
                session.close()

    # -- plumbing ------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.base_url}/v1{path}"

    def login(self) -> None:
        resp = self._send(
            "POST",
            self.url("/sessions"),
            json={"email": self.email, "password": self._password},
            auth=False,
        )
        if resp.status_code != 200:
            raise OdkError(
                tr(_CTX, "ODK Central refused the login of {0} (HTTP {1}).").format(
                    self.email, resp.status_code
                ),
                resp.status_code,
                server_message(resp),
            )
        self.token = resp.json()["token"]

    def _send(self, method: str, url: str, auth: bool = True, **kw: Any) -> Any:
        """One request, retried on network errors, 5xx and 429 with exponential backoff."""
        import requests

        headers = dict(kw.pop("headers", None) or {})
        attempt = 0
        relogged = False
        token = None
        while True:
            if auth:
                token = self._current_token()
                headers["Authorization"] = f"Bearer {token}"
            resp = None
            try:
                with self._lock:
                    self.requests_made += 1
                resp = self.http.request(method, url, headers=headers, timeout=self.timeout, **kw)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.retries:
                    raise OdkError(
                        tr(_CTX, "ODK Central did not answer after {0} attempts: {1}").format(
                            attempt + 1, exc
                        )
                    ) from exc
            else:
                if resp.status_code == 401 and auth and not relogged:
                    relogged = True
                    self._relogin(token)
                    continue
                if resp.status_code not in RETRY_STATUS:
                    return resp
                resp.close()  # a streamed body not read: give the connection back
                if attempt >= self.retries:
                    raise OdkError(
                        tr(_CTX, "ODK Central answered HTTP {0} after {1} attempts.").format(
                            resp.status_code, attempt + 1
                        ),
                        resp.status_code,
                    )
            self.sleep(self._delay(attempt, resp))
            attempt += 1

    def _delay(self, attempt: int, resp: Any) -> float:
        """Exponential backoff; a longer ``Retry-After`` (seconds) of a 429/503 is honoured."""
        delay = self.backoff * (2**attempt)
        after = resp.headers.get("Retry-After") if resp is not None else None
        if after and after.strip().isdigit():
            delay = max(delay, float(after))
        return min(delay, 30.0)

    def _current_token(self) -> str:
        token = self.token
        if token is None:
            with self._login_lock:
                if self.token is None:
                    self.login()
                token = self.token
        return str(token)

    def _relogin(self, stale: str | None) -> None:
        """After a 401: log in again, unless another thread already did since ``stale``."""
        with self._login_lock:
            if self.token == stale:
                self.token = None
                self.login()

    def _json(self, method: str, url: str, **kw: Any) -> Any:
        resp = self._send(method, url, **kw)
        if resp.status_code >= 400:
            raise OdkError(
                tr(_CTX, "ODK Central answered HTTP {0} for {1}.").format(resp.status_code, url),
                resp.status_code,
                server_message(resp),
            )
        try:
            return resp.json()
        except ValueError as exc:
            raise OdkError(
                tr(_CTX, "ODK Central sent a page that is not JSON: {0}").format(exc)
            ) from exc
        except RecursionError as exc:
            raise OdkError(
                tr(_CTX, "ODK Central sent a page nested too deeply to read: {0}").format(url)
            ) from exc

    # -- API -----------------------------------------------------------------------------
    def form_path(self, project: int | str, form: str) -> str:
        return f"/projects/{project}/forms/{quote(str(form), safe='')}"

    def submissions_url(
        self, project: int | str, form: str, top: int = 1000, since: str | None = None
    ) -> str:
        query = {"$top": str(top), "$count": "true"}
        if since:
            query["$filter"] = (
                f"__system/submissionDate ge {since} or __system/updatedAt ge {since}"
            )
        return self.url(self.form_path(project, form) + ".svc/Submissions") + "?" + urlencode(query)

    def get_page(self, url: str) -> dict[str, Any]:
        """A page of submissions. A next-page link (the server's, or a stored cursor's) must
        keep the scheme, host and port the account was given for: the token goes with it."""
        if _origin(url) != _origin(self.base_url):
            raise OdkError(
                tr(
                    _CTX,
                    "ODK Central sent a next-page link to another server or scheme: {0} "
                    "(the account is for {1}); nothing was sent there.",
                ).format(url, "{}://{}:{}".format(*_origin(self.base_url)))
            )
        return self._json("GET", url)

    def get_attachment(
        self, project: int | str, form: str, instance_id: str, name: str, etag: str | None
    ) -> tuple[bytes | None, str | None, str | None]:
        path = (
            self.form_path(project, form)
            + f"/submissions/{quote(instance_id, safe='')}/attachments/{quote(name, safe='')}"
        )
        headers = {"If-None-Match": etag} if etag else {}
        resp = self._send("GET", self.url(path), headers=headers, stream=True)
        with resp:
            if resp.status_code == 304:
                return None, etag, None
            if resp.status_code == 404:
                raise AttachmentMissing(name)
            if resp.status_code >= 400:
                raise OdkError(
                    tr(_CTX, "ODK Central answered HTTP {0} for attachment {1}.").format(
                        resp.status_code, name
                    ),
                    resp.status_code,
                )
            content = self._capped(resp, name)
        return content, resp.headers.get("ETag"), resp.headers.get("Content-Type")

    def _capped(self, resp: Any, name: str) -> bytes:
        """The body, read up to the photo size limit: one byte more and it is refused."""
        import requests

        cap = self.photo_bytes
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _too_large(name, int(declared), cap)
        data = bytearray()
        try:
            for chunk in resp.iter_content(1 << 16):
                data += chunk
                if len(data) > cap:
                    raise _too_large(name, len(data), cap)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise OdkError(
                tr(_CTX, "ODK Central did not send attachment {0} whole: {1}").format(name, exc)
            ) from exc
        return bytes(data)

    def set_review_state(self, project: int | str, form: str, instance_id: str, state: str) -> None:
        path = self.form_path(project, form) + f"/submissions/{quote(instance_id, safe='')}"
        self._json("PATCH", self.url(path), json={"reviewState": state})

    def add_comment(self, project: int | str, form: str, instance_id: str, body: str) -> None:
        path = (
            self.form_path(project, form) + f"/submissions/{quote(instance_id, safe='')}/comments"
        )
        self._json("POST", self.url(path), json={"body": body})

    def list_projects(self) -> list[dict[str, Any]]:
        """The projects this account may see (``GET /v1/projects``)."""
        return list(self._json("GET", self.url("/projects")) or [])

    def list_forms(self, project: int | str) -> list[dict[str, Any]]:
        """The forms of ``project``, with submission counts (extended metadata)."""
        url = self.url(f"/projects/{quote(str(project), safe='')}/forms")
        return list(self._json("GET", url, headers={"X-Extended-Metadata": "true"}) or [])


def _origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url``, the default port filled in; a relative link has none."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"https": 443, "http": 80}.get(scheme, 0)
    except ValueError:  # a port that is not a number
        port = -1
    return scheme, (parts.hostname or "").lower(), port


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})?$")


def _stamp(row: Any) -> str | None:
    """The row's newest server time (ISO 8601 text), for the next pull's filter."""
    system = row.get("__system") if isinstance(row, dict) else None
    if not isinstance(system, dict):
        return None
    stamps = [system.get("updatedAt"), system.get("submissionDate")]
    return max((t for t in stamps if isinstance(t, str) and _STAMP.match(t)), default=None)


def _too_large(name: str, size: int, cap: int) -> AttachmentRefused:
    detail = tr(_CTX, "{0} bytes or more (at most {1})").format(size, cap)
    return AttachmentRefused(name, QuarantineReason.PHOTO_TOO_LARGE.value, detail)


def _object(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (a row as a server sent it)."""
    return value if isinstance(value, dict) else {}


def _flatten(data: dict[str, Any], out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Group fields up to the top level (first occurrence of a name wins); ``__system`` kept."""
    out = {} if out is None else out
    for key, value in data.items():
        if key == "__system":
            continue
        if isinstance(value, dict) and value.get("type") != "Point":
            _flatten(value, out)
        else:
            out.setdefault(key, value)
    return out


def _geopoint(flat: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    for value in flat.values():
        if isinstance(value, dict) and value.get("type") == "Point":
            coords = value.get("coordinates")
            coords = coords if isinstance(coords, list) else []
            props = _object(value.get("properties"))
            if len(coords) >= 2:
                return (
                    float_or_none(coords[0]),
                    float_or_none(coords[1]),
                    float_or_none(props.get("accuracy")),
                )
    return None, None, None


def record_from_odata(
    row: dict[str, Any], fetch: Callable[[str, str, str | None], Any] | None
) -> RawSubmission:
    """One OData Submissions row as a :class:`RawSubmission` (payload: the row, as sent)."""
    system = _object(row.get("__system"))
    flat = _flatten(row)
    lon, lat, accuracy = _geopoint(flat)
    instance_id = str(row.get("__id"))
    meta = _object(row.get("meta"))
    version = meta.get("instanceID") or f"{instance_id}#{system.get('edits', 0)}"
    names = photo_names(pick(flat, "photos"))
    refs = [
        AttachmentRef(
            name, fetch=(lambda etag, n=name: fetch(instance_id, n, etag)) if fetch else None
        )
        for name in names
    ]
    return RawSubmission(
        instance_id=instance_id,
        payload=row,
        server_version=str(version),
        lon=lon,
        lat=lat,
        accuracy_m=accuracy if accuracy is not None else float_or_none(pick(flat, "accuracy_m")),
        observed_at=pick(flat, "observed_at") or system.get("submissionDate"),
        server_updated_at=system.get("updatedAt") or system.get("submissionDate"),
        received_at=system.get("submissionDate"),
        kind=text_or_none(pick(flat, "kind")),
        category_code=text_or_none(pick(flat, "category_code")),
        description=text_or_none(pick(flat, "description")),
        collector_code=text_or_none(pick(flat, "collector_code")),
        collector_name=text_or_none(system.get("submitterName"))
        or text_or_none(pick(flat, "collector_name")),
        device_id=text_or_none(system.get("deviceId")) or text_or_none(pick(flat, "device_id")),
        attachments=refs,
    )


class OdkSource:
    """One form on an ODK Central server, pulled incrementally a page at a time."""

    missing_photo_is_error = False  # Collect uploads photos after the form: wait for them

    def __init__(
        self,
        client: OdkClient,
        project: int | str,
        form: str,
        page_size: int = 1000,
        crs: str = "WGS84",
        photos: bool = True,
    ) -> None:
        self.client = client
        self.project = project
        self.form = form
        self.page_size = page_size
        self.crs = crs
        self.photos = photos
        self.total: int | None = None  # rows this pull reads, once the first page told
        host = urlsplit(client.base_url).netloc
        self.key = f"odk:{host}/{project}/{form}"

    def _fetch(self, instance_id: str, name: str, etag: str | None) -> Any:
        return self.client.get_attachment(self.project, self.form, instance_id, name, etag)

    def _record(self, row: Any) -> RawSubmission:
        """One OData row as a record; a row that is not an object, or is nested too deeply
        to read, is a record too (quarantined by the judge)."""
        if not isinstance(row, dict):
            text = plain_text(row)
            return RawSubmission(
                instance_id="raw-" + content_version(text).removeprefix("sha1:"),
                payload=text,
                server_version=content_version(text),
                parse_error="not a submission object",
            )
        try:
            return record_from_odata(row, self._fetch if self.photos else None)
        except RecursionError:
            version = content_version(row)
            return RawSubmission(
                instance_id=str(row.get("__id")),
                payload=row,
                server_version=version,
                defects=[Problem(QuarantineReason.NESTED_TOO_DEEP, "")],
            )

    def run_concurrently(self, calls: Sequence[Callable[[], _T]]) -> list[_T]:
        """Intake downloads a page's photos through this: the client's bounded pool."""
        return self.client.run_concurrently(calls)

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        cursor = dict(cursor or {})
        url = cursor.get("next")
        resumed = bool(url)
        if not url:
            url = self.client.submissions_url(
                self.project, self.form, self.page_size, cursor.get("since")
            )
            cursor["high"] = cursor.get("since")
        while url:
            body = self.client.get_page(url)
            rows = body.get("value") or []
            if self.total is None and isinstance(body.get("@odata.count"), int):
                self.total = body["@odata.count"]
            high = cursor.get("high")
            records = []
            for row in rows:
                records.append(self._record(row))
                stamp = _stamp(row)
                if stamp and (high is None or stamp > high):
                    high = stamp
            url = body.get("@odata.nextLink")
            cursor["high"] = high
            if url:
                cursor["next"] = url
            else:
                cursor.pop("next", None)
                if high:
                    cursor["since"] = high
            yield Page(records, dict(cursor, resumed=resumed), done=not url)

    def write_review(self, instance_id: str, decision: ReviewDecision, comment: str | None) -> None:
        """Drain one outbox entry: the review state, then the comment (ODK Central)."""
        state = REVIEW_STATES[ReviewDecision(decision)]
        self.client.set_review_state(self.project, self.form, instance_id, state)
        if comment:
            self.client.add_comment(self.project, self.form, instance_id, comment)
