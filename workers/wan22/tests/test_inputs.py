import random

import pytest

from inputs import InvalidInput, MAX_PROMPT, MAX_SEED, parse

JOB = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
USER = "5f0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"


def refusal(raw):
    with pytest.raises(InvalidInput) as caught:
        parse(raw)
    return str(caught.value)


def test_a_full_request_from_reelgate_is_read_field_by_field():
    request = parse({"prompt": " a lighthouse at dusk ", "imageUrl": "https://example.com/a.png", "durationSec": 10, "seed": 7,
                     "ratio": "9:16", "jobId": JOB, "userId": USER, "createdAt": "2026-03-04T05:06:07.1234567Z"})

    assert (request.prompt, request.image_url, request.duration_sec, request.seed, request.ratio) == (
        "a lighthouse at dusk", "https://example.com/a.png", 10, 7, "9:16")
    assert (request.job_id, request.user_id) == (JOB, USER)
    assert (request.created_at.year, request.created_at.month, request.created_at.microsecond) == (2026, 3, 123456)


def test_nulls_as_reelgate_sends_them_mean_absent_and_the_ratio_defaults_to_16_9():
    request = parse({"prompt": "x", "imageUrl": None, "durationSec": 5, "seed": None, "ratio": None}, rng=random.Random(3))

    assert request.image_url is None
    assert request.ratio == "16:9"
    assert 0 <= request.seed <= MAX_SEED


def test_without_a_seed_one_is_drawn():
    seeds = {parse({"prompt": "x", "durationSec": 5}, rng=random.Random(n)).seed for n in range(5)}

    assert len(seeds) == 5


def test_an_image_alone_needs_no_prompt():
    assert parse({"imageUrl": "https://example.com/a.jpg", "durationSec": 5}).prompt == ""


@pytest.mark.parametrize("raw,message", [
    ({"durationSec": 5}, "input.prompt: is required when there is no imageUrl"),
    ({"prompt": "   ", "durationSec": 5}, "input.prompt: is required when there is no imageUrl"),
    ({"prompt": "x" * (MAX_PROMPT + 1), "durationSec": 5}, f"input.prompt: must be at most {MAX_PROMPT} characters"),
    ({"prompt": 5, "durationSec": 5}, "input.prompt: must be a string"),
    ({"prompt": "x"}, "input.durationSec: is required"),
    ({"prompt": "x", "durationSec": 7}, "input.durationSec: must be one of 5, 10, 15"),
    ({"prompt": "x", "durationSec": True}, "input.durationSec: must be one of 5, 10, 15"),
    ({"prompt": "x", "durationSec": "5"}, "input.durationSec: must be one of 5, 10, 15"),
    ({"prompt": "x", "durationSec": 5, "seed": -1}, f"input.seed: must be an integer from 0 to {MAX_SEED}"),
    ({"prompt": "x", "durationSec": 5, "seed": MAX_SEED + 1}, f"input.seed: must be an integer from 0 to {MAX_SEED}"),
    ({"prompt": "x", "durationSec": 5, "seed": 1.5}, f"input.seed: must be an integer from 0 to {MAX_SEED}"),
    ({"prompt": "x", "durationSec": 5, "ratio": "1:1"}, "input.ratio: must be one of 16:9, 9:16"),
    ({"prompt": "x", "durationSec": 5, "imageUrl": "file:///etc/passwd"}, "input.imageUrl: must be an http or https URL"),
    ({"prompt": "x", "durationSec": 5, "imageUrl": "https://e.com/" + "a" * 2048}, "input.imageUrl: must be at most 2048 characters"),
    ({"prompt": "x", "durationSec": 5, "image_url": "https://e.com/a.png"}, "input.image_url: is not a field of this worker"),
    ({"prompt": "x", "durationSec": 5, "jobId": "job-1"}, "input.jobId: must be a UUID"),
    ({"prompt": "x", "durationSec": 5, "createdAt": "yesterday"}, "input.createdAt: must be an ISO 8601 date-time"),
])
def test_bad_input_is_refused_naming_the_field_and_the_rule(raw, message):
    assert message in refusal(raw)


def test_every_broken_rule_is_listed_at_once():
    message = refusal({"prompt": "x" * (MAX_PROMPT + 1), "durationSec": 8, "seed": -4})

    assert message.count("; ") == 2


def test_input_that_is_not_an_object_is_refused():
    assert refusal(["prompt"]) == "input: must be a JSON object"


@pytest.mark.parametrize("raw", [
    {"prompt": "x", "durationSec": 5},
    {"imageUrl": "https://example.com/a.png", "durationSec": 15, "seed": 0, "ratio": "9:16"},
    {"prompt": "x", "imageUrl": None, "durationSec": 10, "seed": 4294967295, "ratio": "16:9", "jobId": JOB, "userId": USER,
     "createdAt": "2026-03-04T05:06:07Z"},
])
def test_what_the_worker_accepts_the_contract_accepts(raw, validator):
    parse(raw)
    assert validator("input", raw) == []


@pytest.mark.parametrize("raw", [
    {"prompt": "x", "durationSec": 7},
    {"prompt": "x", "durationSec": 5, "ratio": "1:1"},
    {"prompt": "x", "durationSec": 5, "image_url": "https://e.com/a.png"},
    {"durationSec": 5},
    {"prompt": "x", "durationSec": 5, "seed": -1},
])
def test_what_the_worker_refuses_the_contract_refuses(raw, validator):
    with pytest.raises(InvalidInput):
        parse(raw)
    assert validator("input", raw) != []
