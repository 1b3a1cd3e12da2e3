"""handler.run end to end without a GPU: the ffmpeg generator double in place of the model, real ffmpeg for the
clip, real boto3 against s3rver for the upload, a local HTTP server for the image."""

import urllib.request

import boto3
import pytest

import handler
import media
from doubles import FfmpegGenerator, Progress
from generate import Settings, WanTI2V5B

JOB = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
USER = "5f0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"


def run(input, store, generator=None, progress=None, **options):
    return handler.run({"id": "rp-job-1", "input": input}, generator=generator or FfmpegGenerator(), store=store,
                       progress=progress if progress is not None else Progress(), preset="ultrafast", **options)


def download(url, tmp_path):
    path = tmp_path / "downloaded.mp4"
    with urllib.request.urlopen(url) as response:
        path.write_bytes(response.read())
    return str(path)


def test_text_to_video_uploads_a_1280x704_24fps_121_frame_mp4_and_answers_the_contracts_output(store, storage_settings, validator, tmp_path):
    output = run({"prompt": "a lighthouse at dusk", "durationSec": 5, "seed": 42, "ratio": "16:9", "jobId": JOB, "userId": USER,
                  "createdAt": "2026-03-04T05:06:07.1234567Z"}, store)

    assert validator("output", output) == []
    assert output["seed"] == 42
    assert output["durationSec"] == round(121 / 24, 3)
    assert media.probe(download(output["r2Url"], tmp_path)) == {"width": 1280, "height": 704, "frames": 121, "fps": 24.0}
    key = f"{storage_settings.prefix}/2026/03/user_{USER}/video_{JOB}.mp4"
    head = boto3.client("s3", endpoint_url=storage_settings.endpoint_url, region_name="us-east-1", aws_access_key_id="S3RVER",
                        aws_secret_access_key="S3RVER").head_object(Bucket=storage_settings.bucket, Key=key)
    assert head["ContentType"] == "video/mp4"


def test_image_to_video_of_10_s_chains_two_segments_from_the_image_into_241_frames(store, site, png_bytes, tmp_path):
    site.add("/start.png", png_bytes)
    generator = FfmpegGenerator()

    output = run({"prompt": "the camera pulls back", "imageUrl": site.url("/start.png"), "durationSec": 10, "seed": 7}, store, generator,
                 allow_private=True)

    assert "error" not in output, output
    assert media.probe(download(output["r2Url"], tmp_path)) == {"width": 1280, "height": 704, "frames": 241, "fps": 24.0}
    first, second = generator.calls
    assert first["image"].endswith("start.png") and second["image"].endswith("continue0.png")
    assert (first["seed"], second["seed"]) == (7, 8)
    assert {call["frames"] for call in generator.calls} == {121}
    assert output["durationSec"] == round(241 / 24, 3)


def test_15_s_portrait_is_704x1280_with_361_frames(store, tmp_path):
    output = run({"prompt": "rain on a window", "durationSec": 15, "seed": 1, "ratio": "9:16"}, store)

    assert media.probe(download(output["r2Url"], tmp_path)) == {"width": 704, "height": 1280, "frames": 361, "fps": 24.0}


def test_without_a_seed_the_drawn_seed_is_the_one_used_and_echoed(store):
    generator = FfmpegGenerator()

    output = run({"prompt": "x", "durationSec": 5}, store, generator)

    assert output["seed"] == generator.calls[0]["seed"]


def test_the_same_seed_gives_the_same_clip_and_another_seed_another(store, tmp_path):
    def clip(seed, name):
        (tmp_path / name).mkdir()
        return open(download(run({"prompt": "x", "durationSec": 5, "seed": seed}, store)["r2Url"], tmp_path / name), "rb").read()

    first = clip(5, "a")
    assert clip(5, "b") == first
    assert clip(200, "c") != first


def test_progress_goes_from_fetch_through_each_segments_steps_to_upload_in_the_contracts_shape(store, site, png_bytes, validator):
    site.add("/i.png", png_bytes)
    progress = Progress()

    run({"imageUrl": site.url("/i.png"), "durationSec": 10, "seed": 3}, store, FfmpegGenerator(steps=4), progress, allow_private=True)

    assert all(validator("progress", payload) == [] for payload in progress)
    stages = [payload["stage"] for payload in progress]
    assert stages == ["fetch", "load"] + ["denoise"] * 8 + ["encode", "upload"]
    values = [payload["progress"] for payload in progress]
    assert values == sorted(values) and values[-1] < 1
    assert [(p["segment"], p["segments"]) for p in progress if p["stage"] == "denoise"] == [(1, 2)] * 4 + [(2, 2)] * 4


@pytest.mark.parametrize("input,message", [
    ({"prompt": "x", "durationSec": 7}, "input.durationSec: must be one of 5, 10, 15"),
    ({"prompt": "x" * 2001, "durationSec": 5}, "input.prompt: must be at most 2000 characters"),
    ({"prompt": "x", "durationSec": 5, "ratio": "1:1"}, "input.ratio: must be one of 16:9, 9:16"),
    ({"prompt": "x", "durationSec": 5, "imageUrl": "http://169.254.169.254/latest/meta-data"}, "link-local address"),
])
def test_bad_input_is_answered_in_runpods_error_shape_before_the_model_runs(store, input, message):
    generator = FfmpegGenerator()

    output = run(input, store, generator)

    assert set(output) == {"error"} and message in output["error"]
    assert generator.calls == []


def test_an_image_that_is_no_image_is_refused_by_its_bytes(store, site):
    site.add("/x.png", b"%PDF-1.4 not an image", headers={"Content-Type": "image/png"})

    output = run({"imageUrl": site.url("/x.png"), "durationSec": 5}, store, allow_private=True)

    assert output == {"error": "input.imageUrl: is not a JPEG, PNG or WebP image (judged by its bytes)"}


def test_an_image_with_image_magic_that_does_not_decode_is_refused_as_input(store, site):
    site.add("/broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    output = run({"imageUrl": site.url("/broken.png"), "durationSec": 5}, store, allow_private=True)

    assert output["error"].startswith("input.imageUrl: could not be decoded as an image")


def test_a_model_error_is_answered_in_runpods_error_shape_and_asks_for_a_fresh_worker(store, storage_settings):
    output = run({"prompt": "x", "durationSec": 5}, store, FfmpegGenerator(fail_with=RuntimeError("CUDA out of memory")))

    assert output == {"error": "generation failed: RuntimeError: CUDA out of memory", "refresh_worker": True}
    listed = boto3.client("s3", endpoint_url=storage_settings.endpoint_url, region_name="us-east-1", aws_access_key_id="S3RVER",
                          aws_secret_access_key="S3RVER").list_objects_v2(Bucket=storage_settings.bucket, Prefix=storage_settings.prefix)
    assert listed.get("KeyCount", 0) == 0


def test_without_torch_the_real_model_answers_a_clear_error(store, tmp_path):
    output = run({"prompt": "x", "durationSec": 5}, store, WanTI2V5B(Settings(weights_dir=str(tmp_path))))

    assert output["error"].startswith("model unavailable: generation needs torch and the Wan2.2 code")


def test_an_upload_failure_is_answered_in_runpods_error_shape(storage_settings):
    from dataclasses import replace

    from storage import Store

    output = run({"prompt": "x", "durationSec": 5}, Store(replace(storage_settings, bucket="no-such-bucket")))

    assert output["error"].startswith("upload failed: ") and "NoSuchBucket" in output["error"]
