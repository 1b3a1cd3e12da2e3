"""A job's input, checked against contract.json; every refusal names the field's path and the rule it breaks."""

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CONTRACT = json.loads((Path(__file__).parent / "contract.json").read_text(encoding="utf-8"))
_FIELDS = CONTRACT["$defs"]["input"]["properties"]
MAX_PROMPT = _FIELDS["prompt"]["maxLength"]
MAX_URL = _FIELDS["imageUrl"]["maxLength"]
DURATIONS = tuple(_FIELDS["durationSec"]["enum"])
RATIOS = tuple(_FIELDS["ratio"]["enum"])
MAX_SEED = _FIELDS["seed"]["maximum"]


class InvalidInput(ValueError):
    """Bad input: the job fails with this message, and the worker stays healthy."""


@dataclass(frozen=True)
class Request:
    prompt: str
    image_url: str | None
    duration_sec: int
    seed: int
    ratio: str
    job_id: str | None = None
    user_id: str | None = None
    created_at: datetime | None = None


def parse(raw, rng=random) -> Request:
    """Returns the request, or raises InvalidInput listing every broken rule ("input.<field>: <rule>; …")."""
    if not isinstance(raw, dict):
        raise InvalidInput("input: must be a JSON object")
    errors = [f"input.{name}: is not a field of this worker" for name in raw if name not in _FIELDS]
    prompt = _text(raw.get("prompt"), "prompt", errors)
    if prompt is not None and len(prompt) > MAX_PROMPT:
        errors.append(f"input.prompt: must be at most {MAX_PROMPT} characters")
    image_url = _text(raw.get("imageUrl"), "imageUrl", errors)
    if image_url is not None:
        if len(image_url) > MAX_URL:
            errors.append(f"input.imageUrl: must be at most {MAX_URL} characters")
        elif not image_url.lower().startswith(("http://", "https://")):
            errors.append("input.imageUrl: must be an http or https URL")
    if prompt is None and image_url is None and not any(e.startswith(("input.prompt", "input.imageUrl")) for e in errors):
        errors.append("input.prompt: is required when there is no imageUrl")
    duration = raw.get("durationSec")
    if "durationSec" not in raw:
        errors.append("input.durationSec: is required")
    elif not _is_int(duration) or duration not in DURATIONS:
        errors.append(f"input.durationSec: must be one of {', '.join(map(str, DURATIONS))}")
    seed = raw.get("seed")
    if seed is not None and (not _is_int(seed) or not 0 <= seed <= MAX_SEED):
        errors.append(f"input.seed: must be an integer from 0 to {MAX_SEED}")
    ratio = raw.get("ratio") or RATIOS[0]
    if ratio not in RATIOS:
        errors.append(f"input.ratio: must be one of {', '.join(RATIOS)} (Wan2.2 TI2V-5B makes 1280x704 or 704x1280 only)")
    job_id = _uuid(raw.get("jobId"), "jobId", errors)
    user_id = _uuid(raw.get("userId"), "userId", errors)
    created_at = _timestamp(raw.get("createdAt"), errors)
    if errors:
        raise InvalidInput("; ".join(errors))
    return Request(
        prompt=prompt or "",
        image_url=image_url,
        duration_sec=duration,
        seed=rng.randint(0, MAX_SEED) if seed is None else seed,
        ratio=ratio,
        job_id=job_id,
        user_id=user_id,
        created_at=created_at,
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value, name, errors):
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(f"input.{name}: must be a string")
        return None
    value = value.strip()
    return value or None


def _uuid(value, name, errors):
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        errors.append(f"input.{name}: must be a UUID")
        return None


def _timestamp(value, errors):
    if value is None:
        return None
    try:
        # Python 3.11 reads the 'Z' suffix and .NET's seven fractional digits only after trimming them to six.
        text = str(value).replace("Z", "+00:00")
        head, dot, tail = text.partition(".")
        if dot:
            digits = "".join(c for c in tail if c.isdigit())
            text = f"{head}.{digits[:6]}{tail[len(digits):]}"
        return datetime.fromisoformat(text)
    except ValueError:
        errors.append("input.createdAt: must be an ISO 8601 date-time")
        return None
