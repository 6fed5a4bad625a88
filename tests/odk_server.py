"""A local ODK Central for tests and the benchmark: real HTTP on 127.0.0.1, in a thread.

Implements the documented endpoints the intake uses (docs/api.yaml of getodk/central-backend):

    POST  /v1/sessions                                        {email, password} -> {token, …}
    GET   /v1/projects                                        [Project]; [] without a login
    GET   /v1/projects/{p}/forms                              [Form]; X-Extended-Metadata
    GET   /v1/projects/{p}/forms/{f}.svc/Submissions          $top, $skiptoken, $filter, $count
    GET   /v1/projects/{p}/forms/{f}/submissions/{id}/attachments          [{name, exists}]
    GET   /v1/projects/{p}/forms/{f}/submissions/{id}/attachments/{name}   ETag, 304
    PATCH /v1/projects/{p}/forms/{f}/submissions/{id}          {reviewState}
    POST  /v1/projects/{p}/forms/{f}/submissions/{id}/comments {body}
    GET   /v1/projects/{p}/forms/{f}/submissions/{id}/comments

Submissions are ordered newest first (createdAt desc, like Central); ``$skiptoken`` is
``01`` + base64 JSON of the last instance id served, so pages stay stable while new
submissions arrive; ``@odata.count`` is the number of rows the filter matches, whatever
page is asked. Faults can be injected: drop the connection or answer 500 on the N-th
Submissions page request, a number of times; ``page_delay_s`` makes every Submissions page
answer that much later (a slow server). Projects and forms are registered by ``add`` (or
``add_project`` / ``add_form``) and listed as Central documents them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

EMAIL = "reviewer@example.org"
PASSWORD = "s3cret-pass"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def skiptoken(instance_id: str) -> str:
    return "01" + base64.b64encode(json.dumps({"instanceId": instance_id}).encode()).decode()


def parse_skiptoken(token: str) -> str:
    return json.loads(base64.b64decode(token[2:]))["instanceId"]


@dataclass
class Fault:
    page: int  # 1-based: the N-th distinct Submissions page asked for since fail()
    mode: str = "500"  # "500" | "drop"
    times: int = 1


@dataclass
class FakeCentral:
    submissions: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    order: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # oldest first
    attachments: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    review_log: list[tuple[str, str]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path+query, status)
    faults: list[Fault] = field(default_factory=list)
    page_requests: int = 0
    pages_seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> Project
    forms: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # -> Form
    page_delay_s: float = 0.0  # every Submissions page answers this much later

    # -- projects and forms --------------------------------------------------------------
    def add_project(self, project: int, name: str | None = None) -> dict[str, Any]:
        key = str(project)
        if key not in self.projects:
            self.projects[key] = {
                "id": int(project),
                "name": name or f"Project {project}",
                "description": None,
                "keyId": None,
                "archived": False,
                "createdAt": _now(),
                "updatedAt": None,
            }
        elif name:
            self.projects[key]["name"] = name
        return self.projects[key]

    def add_form(
        self, project: int, form: str, name: str | None = None, state: str = "open"
    ) -> dict[str, Any]:
        self.add_project(project)
        key = (str(project), form)
        if key not in self.forms:
            now = _now()
            self.forms[key] = {
                "projectId": int(project),
                "xmlFormId": form,
                "name": name or form,
                "version": "2026030201",
                "enketoId": uuid.uuid4().hex[:8],
                "hash": hashlib.md5(form.encode()).hexdigest(),
                "keyId": None,
                "state": state,
                "publishedAt": now,
                "createdAt": now,
                "updatedAt": None,
            }
        else:
            self.forms[key]["state"] = state
            if name:
                self.forms[key]["name"] = name
        return self.forms[key]

    def forms_of(self, project: str, extended: bool) -> list[dict[str, Any]]:
        out = []
        for (p, f), form in sorted(self.forms.items()):
            if p != project:
                continue
            row = dict(form)
            if extended:
                rows = self.submissions.get((p, f), {})
                states = [r["__system"].get("reviewState") for r in rows.values()]
                row.update(
                    submissions=len(rows),
                    reviewStates={
                        "received": states.count(None),
                        "hasIssues": states.count("hasIssues"),
                        "edited": states.count("edited"),
                    },
                    lastSubmission=max(
                        (r["__system"]["submissionDate"] for r in rows.values()), default=None
                    ),
                    createdBy={"id": 1, "type": "user", "displayName": "admin"},
                    entityRelated=False,
                    publicLinks=0,
                )
            out.append(row)
        return out

    # -- data --------------------------------------------------------------------------
    def add(
        self, project: int, form: str, row: dict[str, Any], photos: dict[str, bytes] | None = None
    ) -> None:
        key = (str(project), form)
        with self.lock:
            if key not in self.forms:
                self.add_form(project, form)
            self.submissions.setdefault(key, {})[row["__id"]] = row
            self.order.setdefault(key, []).append(row["__id"])
            for name, content in (photos or {}).items():
                self.attachments[(row["__id"], name)] = content

    def edit(
        self, project: int, form: str, instance_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """An edit on the server: new version instanceID, edits + 1, reviewState 'edited'."""
        with self.lock:
            row = self.submissions[(str(project), form)][instance_id]
            for path, value in changes.items():
                target = row
                parts = path.split("/")
                for p in parts[:-1]:
                    target = target.setdefault(p, {})
                target[parts[-1]] = value
            row["meta"]["instanceID"] = f"uuid:{uuid.uuid4()}"
            row["meta"]["deprecatedID"] = instance_id
            row["__system"]["edits"] += 1
            row["__system"]["updatedAt"] = _now()
            row["__system"]["reviewState"] = "edited"
            return row

    def fail(self, page: int, mode: str = "500", times: int = 1) -> None:
        with self.lock:
            self.pages_seen = []
            self.faults = [Fault(page, mode, times)]

    # -- handlers ----------------------------------------------------------------------
    def submissions_page(
        self, project: str, form: str, query: dict[str, str], base: str
    ) -> dict[str, Any]:
        key = (project, form)
        rows = self.submissions.get(key, {})
        ids = list(reversed(self.order.get(key, [])))  # newest first
        flt = query.get("$filter")
        if flt:
            ids = [i for i in ids if _matches(rows[i], flt)]
        matching = len(ids)
        if "$skiptoken" in query:
            last = parse_skiptoken(query["$skiptoken"])
            ids = ids[ids.index(last) + 1 :] if last in ids else []
        top = int(query.get("$top", "0") or 0)
        page = ids[:top] if top else ids
        body: dict[str, Any] = {
            "@odata.context": f"{base}/v1/projects/{project}/forms/{form}.svc/"
            "$metadata#Submissions",
            "value": [rows[i] for i in page],
        }
        if query.get("$count") == "true":
            body["@odata.count"] = matching  # Central: the filter's rows, not what is left
        if top and len(ids) > top:
            nxt = {k: v for k, v in query.items() if k != "$skiptoken"}
            nxt["$skiptoken"] = skiptoken(page[-1])
            body["@odata.nextLink"] = (
                f"{base}/v1/projects/{project}/forms/{form}.svc/Submissions?" + urlencode(nxt)
            )
        return body


_CMP = re.compile(r"__system/(submissionDate|updatedAt)\s+(gt|ge|lt|le|eq)\s+'?([0-9TZ:.+\-]+)'?")


def _matches(row: dict[str, Any], flt: str) -> bool:
    """$filter on __system dates, joined by ``or`` / ``and`` (left to right)."""
    result = None
    op = None
    for token in re.split(r"\s+(or|and)\s+", flt):
        if token in ("or", "and"):
            op = token
            continue
        m = _CMP.search(token)
        if not m:
            raise ValueError(f"unsupported $filter {flt!r}")
        value = row["__system"].get(m.group(1))
        ok = False
        if value is not None:
            a = _ts(value)
            b = _ts(m.group(3))
            ok = {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b, "eq": a == b}[m.group(2)]
        result = ok if result is None else (result or ok) if op == "or" else (result and ok)
    return bool(result)


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeCentral/2026.1"
    protocol_version = "HTTP/1.1"
    central: FakeCentral  # set on the subclass

    def log_message(self, *args: Any) -> None:
        pass

    def _send(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        if raw is None and body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)
        self.central.log.append((self.command, self.path, status))

    def _body(self) -> Any:
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"null") if n else None

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer ") and auth[7:] in self.central.tokens:
            return True
        self._send(
            401, {"code": 401.2, "message": "Could not authenticate with the provided credentials."}
        )
        return False

    def _route(self) -> tuple[list[str], dict[str, str]]:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        return [unquote(p) for p in parts.path.strip("/").split("/")], query

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def do_POST(self) -> None:
        path, _ = self._route()
        body = self._body()
        c = self.central
        if path == ["v1", "sessions"]:
            if body and body.get("email") == EMAIL and body.get("password") == PASSWORD:
                token = uuid.uuid4().hex + uuid.uuid4().hex
                c.tokens.add(token)
                now = _now()
                return self._send(
                    200,
                    {"createdAt": now, "expiresAt": now, "token": token, "csrf": uuid.uuid4().hex},
                )
            return self._send(
                401,
                {"code": 401.2, "message": "Could not authenticate with the provided credentials."},
            )
        if not self._authorised():
            return None
        if len(path) == 8 and path[-1] == "comments":
            iid = path[6]
            comment = {"body": body.get("body"), "actorId": 17, "createdAt": _now()}
            with c.lock:
                c.comments.setdefault(iid, []).append(comment)
            return self._send(200, comment)
        return self._send(
            404, {"code": 404.1, "message": "Could not find the resource you were looking for."}
        )

    def do_PATCH(self) -> None:
        path, _ = self._route()
        body = self._body()
        c = self.central
        if not self._authorised():
            return None
        if len(path) == 7 and path[0] == "v1" and path[5] == "submissions":
            project, form, iid = path[2], path[4], path[6]
            row = c.submissions.get((project, form), {}).get(iid)
            state = (body or {}).get("reviewState")
            if row is None:
                return self._send(404, {"code": 404.1, "message": "Not found"})
            if state not in (None, "hasIssues", "edited", "approved", "rejected"):
                return self._send(
                    400, {"code": 400.8, "message": f"Unexpected reviewState value {state}"}
                )
            with c.lock:
                row["__system"]["reviewState"] = state
                row["__system"]["updatedAt"] = _now()
                c.review_log.append((iid, state))
            return self._send(
                200,
                {
                    "instanceId": iid,
                    "reviewState": state,
                    "updatedAt": row["__system"]["updatedAt"],
                },
            )
        return self._send(404, {"code": 404.1, "message": "Not found"})

    def do_GET(self) -> None:
        path, query = self._route()
        c = self.central
        if path == ["v1", "projects"] and not self.headers.get("Authorization"):
            return self._send(200, [])  # Central: anonymous callers see no project
        forms_list = len(path) == 4 and path[:2] == ["v1", "projects"] and path[3] == "forms"
        if forms_list and not self.headers.get("Authorization"):
            return self._send(
                403,
                {
                    "code": 403.1,
                    "message": "The authenticated actor does not have rights to "
                    "perform that action.",
                },
            )
        if not self._authorised():
            return None
        extended = self.headers.get("X-Extended-Metadata") == "true"
        if path == ["v1", "projects"]:
            with c.lock:
                rows = [dict(p) for p in sorted(c.projects.values(), key=lambda p: p["id"])]
                for row in rows:
                    if extended:
                        row["forms"] = len(c.forms_of(str(row["id"]), False))
            return self._send(200, rows)
        if forms_list:
            with c.lock:
                known = path[2] in c.projects
                rows = c.forms_of(path[2], extended) if known else []
            if not known:
                return self._send(
                    404,
                    {"code": 404.1, "message": "Could not find the resource you were looking for."},
                )
            return self._send(200, rows)
        if len(path) == 6 and path[5] == "Submissions" and path[4].endswith(".svc"):
            project, form = path[2], path[4][: -len(".svc")]
            with c.lock:
                c.page_requests += 1
                if self.path not in c.pages_seen:
                    c.pages_seen.append(self.path)
                n = c.pages_seen.index(self.path) + 1  # which page (retries ask the same)
                mode = None
                for fault in c.faults:
                    if fault.page == n and fault.times > 0:
                        fault.times -= 1
                        mode = fault.mode
            if c.page_delay_s > 0:
                time.sleep(c.page_delay_s)  # a slow server (this connection's thread only)
            if mode == "drop":
                self.central.log.append(("GET", self.path, 0))
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if mode == "500":
                return self._send(500, {"code": 500.1, "message": "Internal Server Error"})
            try:
                with c.lock:
                    body = c.submissions_page(project, form, query, self.base)
            except ValueError as exc:
                return self._send(400, {"code": 400.18, "message": str(exc)})
            return self._send(200, body)
        if len(path) >= 8 and path[0] == "v1" and path[7] == "attachments":
            iid = path[6]
            if len(path) == 8:
                names = [n for (i, n) in c.attachments if i == iid]
                return self._send(200, [{"name": n, "exists": True} for n in names])
            content = c.attachments.get((iid, path[8]))
            if content is None:
                return self._send(404, {"code": 404.1, "message": "Not found"})
            etag = '"' + hashlib.md5(content).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, None, {"ETag": etag})
            return self._send(200, None, {"ETag": etag, "Content-Type": "image/jpeg"}, raw=content)
        if len(path) == 8 and path[-1] == "comments":
            return self._send(200, c.comments.get(path[6], []))
        return self._send(404, {"code": 404.1, "message": "Not found"})


class CentralServer:
    """``with CentralServer() as srv: srv.url …`` — serves a :class:`FakeCentral`."""

    def __init__(self, central: FakeCentral | None = None) -> None:
        self.central = central or FakeCentral()
        handler = type("Handler", (_Handler,), {"central": self.central})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> CentralServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
