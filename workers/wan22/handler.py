"""RunPod serverless entry point: python handler.py (runpod.serverless.start). run() is the handler's logic with the
model, the storage and the progress sink passed in, so it runs without the runpod SDK, torch or a GPU."""

import logging
import os
import sys
import tempfile
import time
import traceback

import media
from clip import make_clip
from fetch import MAX_IMAGE_BYTES, fetch_image
from generate import FPS, ModelUnavailable, Settings, WanTI2V5B
from inputs import InvalidInput, parse
from storage import Store, StorageSettings, StorageUnavailable, output_key

log = logging.getLogger("wan22")


def run(job: dict, *, generator, store, progress, allow_private=False, preset="medium") -> dict:
    """One job: {"r2Url", "durationSec", "seed"} on success, else RunPod's error shape {"error": "..."}.
    progress(payload) receives each progress update (the contract's progress shape)."""

    def report(stage, value, **extra):
        progress({"type": "progress", "progress": round(min(max(value, 0.0), 1.0), 4), "stage": stage, **extra})

    try:
        request = parse(job.get("input"))
        with tempfile.TemporaryDirectory(prefix="wan22-") as workdir:
            image = None
            if request.image_url:
                report("fetch", 0.01)
                image = fetch_image(request.image_url, os.path.join(workdir, "input"), max_bytes=MAX_IMAGE_BYTES, allow_private=allow_private)
            report("load", 0.04)
            try:
                clip = make_clip(generator, request, image, workdir, report, preset)
            except (InvalidInput, ModelUnavailable):
                raise
            except Exception as error:
                log.error("generation failed for job %s:\n%s", job.get("id"), traceback.format_exc())
                # A failed CUDA call can leave the context unusable; RunPod replaces the worker after this job.
                return {"error": f"generation failed: {type(error).__name__}: {error}", "refresh_worker": True}
            report("upload", 0.95)
            try:
                url = store.upload(clip.path, output_key(store.settings.prefix, request, str(job.get("id", "job"))))
            except Exception as error:
                log.error("upload failed for job %s:\n%s", job.get("id"), traceback.format_exc())
                return {"error": f"upload failed: {type(error).__name__}: {error}"}
        return {"r2Url": url, "durationSec": round(clip.frames / FPS, 3), "seed": request.seed}
    except InvalidInput as error:
        return {"error": str(error)}
    except ModelUnavailable as error:
        return {"error": f"model unavailable: {error}"}
    except (StorageUnavailable, media.MediaError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    except Exception as error:
        log.error("job %s failed:\n%s", job.get("id"), traceback.format_exc())
        return {"error": f"worker error: {type(error).__name__}: {error}"}


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    # The SDK exists only in the worker's image; importing it here keeps run() testable without it.
    import runpod

    store = Store(StorageSettings.from_env())
    generator, unavailable = None, None
    try:
        generator = WanTI2V5B(Settings.from_env())
        started = time.monotonic()
        generator.load()
        log.info("model loaded in %.1f s", time.monotonic() - started)
    except ModelUnavailable as error:
        # Jobs then fail with this reason instead of the worker restarting in a loop.
        log.error("model unavailable: %s", error)
        unavailable = error

    def handler(job):
        if generator is None or not generator.loaded:
            return {"error": f"model unavailable: {unavailable}"}
        return run(job, generator=generator, store=store, progress=lambda payload: runpod.serverless.progress_update(job, payload))

    runpod.serverless.start({"handler": handler})


if __name__ == "__main__":
    main()
