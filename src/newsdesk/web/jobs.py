"""Upload and paste jobs: a file is read, sorted into stories and its biggest stories briefed in
the background (one job at a time), with progress the page follows; optionally added to the
store. Jobs are kept in memory while the server runs."""

from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException, Request

from ..errors import NewsdeskError, NoNewsError
from ..model import Grouping
from ..options import INPUT_FORMATS, Options
from .security import authorise

MAX_STORIES_BRIEFED = 20  # per upload: the biggest stories get a brief
MAX_JOBS = 50


@dataclass
class Job:
    id: str
    name: str
    status: str = "queued"  # queued | running | done | failed
    stage: str = "waiting"
    done: int = 0
    total: int = 0
    error: str | None = None
    started: float = field(default_factory=time.time)
    grouping: Grouping | None = None
    ingested: dict | None = None

    def state(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "stage": self.stage, "done": self.done,
                "total": self.total, "error": self.error, "url": f"/jobs/{self.id}"}


async def start(request: Request) -> Job:
    """Read the multipart form (a file or pasted text, a format, ingest=1), check it may write,
    and queue the job."""
    state = request.app.state.newsdesk
    form = await request.form(max_files=1, max_fields=8, max_part_size=state.max_upload)
    token = form.get("token")
    authorise(request, token if isinstance(token, str) else None)
    upload, text = form.get("file"), form.get("text")
    data, name = b"", "pasted text"
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data, name = await upload.read(state.max_upload + 1), upload.filename
    elif isinstance(text, str) and text.strip():
        data = text.encode("utf-8")
    if not data.strip():
        raise HTTPException(400, "nothing to read: paste text or choose a file")
    if len(data) > state.max_upload:
        raise HTTPException(413, f"upload too large: the limit is {state.max_upload // (1024 * 1024)} MB")
    suffix = "".join(re.findall(r"\.[A-Za-z0-9]{1,5}", Path(name).name)[-2:]) if name != "pasted text" else ".txt"
    path = os.path.join(tempfile.mkdtemp(prefix="newsdesk-upload-"), "upload" + suffix)
    with open(path, "wb") as f:
        f.write(data)
    fmt = form.get("format")
    options = state.options.update(input_format=fmt if fmt in INPUT_FORMATS else None)
    job = Job(id=uuid.uuid4().hex[:16], name=Path(name).name[:200])
    state.jobs[job.id] = job
    while len(state.jobs) > MAX_JOBS:
        state.jobs.popitem(last=False)
    state.worker.submit(run, state, job, path, options, form.get("ingest") in ("1", "on", "true"))
    return job


def get(state, job_id: str) -> Job:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job (jobs are kept in memory while the server runs)")
    return job


def run(state, job: Job, path: str, options: Options, ingest: bool) -> None:
    """The job itself, in the worker thread: read, group, brief the biggest stories, ingest."""
    from ..cluster import group
    from ..ingest import read
    from ..pipeline import brief_stories

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        job.status, job.stage = "running", "reading"
        items = list(read([path], options))
        job.stage = "sorting into stories"
        grouping = group(items, options)
        if not grouping.stories:
            raise NoNewsError("no news items in the upload")
        job.total, job.stage = min(len(grouping.stories), MAX_STORIES_BRIEFED), "briefing stories"
        job.grouping = brief_stories(grouping, options, limit=MAX_STORIES_BRIEFED, progress=progress)
        if ingest:
            job.stage = "adding to the store"
            job.ingested = state.ingest(items)
        job.status, job.stage = "done", "done"
    except NewsdeskError as exc:
        job.status, job.error, job.stage = "failed", str(exc), "failed"
    except Exception as exc:
        job.status, job.error, job.stage = "failed", f"internal error: {type(exc).__name__}: {exc}", "failed"
    finally:
        try:
            os.unlink(path)
            os.rmdir(os.path.dirname(path))
        except OSError:
            pass
