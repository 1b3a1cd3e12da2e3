"""Wan2.2 TI2V-5B through the official code (github.com/Wan-Video/Wan2.2, pinned in requirements.txt and the
Dockerfile), loaded once per worker from WAN_WEIGHTS_DIR. torch and the Wan2.2 code are imported in load() only, so
this module imports without them and says what is missing when a generation is asked for."""

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass

from inputs import DURATIONS

log = logging.getLogger("wan22")

TASK = "ti2v-5B"
FPS = 24
# The model's clip: 121 frames (4n+1, as its VAE's temporal stride of 4 requires), 5.04 s at 24 fps.
SEGMENT_FRAMES = 121
SEGMENT_SECONDS = 5
SIZES = {"16:9": (1280, 704), "9:16": (704, 1280)}
WEIGHT_FILES = ("config.json", "models_t5_umt5-xxl-enc-bf16.pth", "Wan2.2_VAE.pth", "google/umt5-xxl")


class ModelUnavailable(RuntimeError):
    """The model cannot run on this worker (no torch, no GPU, no weights, or a setting it does not support)."""


def is_valid_frame_count(frames: int) -> bool:
    return frames >= 1 and (frames - 1) % 4 == 0


def segment_count(duration_sec: int) -> int:
    if duration_sec not in DURATIONS:
        raise ValueError(f"durationSec must be one of {DURATIONS}")
    return duration_sec // SEGMENT_SECONDS


def frame_count(duration_sec: int) -> int:
    """Frames of a clip: each segment after the first starts from the previous one's last frame and adds 120."""
    return 1 + segment_count(duration_sec) * (SEGMENT_FRAMES - 1)


@dataclass(frozen=True)
class Settings:
    weights_dir: str
    offload_model: bool = False
    t5_cpu: bool = False
    sample_steps: int | None = None

    @staticmethod
    def from_env(env=os.environ) -> "Settings":
        """Refuses any variant, resolution or frame rate other than the one this worker is built for."""
        checks = {"WAN_MODEL_VARIANT": ("ti2v-5b", "ti2v-5b"), "WAN_RESOLUTION": ("720p", "720p"), "WAN_FPS": ("24", str(FPS))}
        for name, (default, wanted) in checks.items():
            value = env.get(name, default).strip().lower()
            if value != wanted:
                raise ModelUnavailable(f"{name}={value} is not supported: this worker runs Wan2.2 TI2V-5B at 720p, {FPS} fps only")
        steps = env.get("WAN_SAMPLE_STEPS")
        return Settings(
            weights_dir=env.get("WAN_WEIGHTS_DIR", "/runpod-volume/Wan2.2-TI2V-5B"),
            offload_model=env.get("WAN_OFFLOAD_MODEL", "false").lower() == "true",
            t5_cpu=env.get("WAN_T5_CPU", "false").lower() == "true",
            sample_steps=int(steps) if steps else None,
        )


class WanTI2V5B:
    """The real model. segment() renders one clip of up to 121 frames to an MP4, reporting each denoising step."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pipeline = None
        self._modules = None

    @property
    def loaded(self) -> bool:
        return self._pipeline is not None

    def load(self) -> None:
        if self._pipeline is not None:
            return
        try:
            import torch
            import wan
            import wan.textimage2video
            from PIL import Image
            from wan.configs import MAX_AREA_CONFIGS, SIZE_CONFIGS, WAN_CONFIGS
            from wan.utils.utils import save_video
        except ImportError as error:
            raise ModelUnavailable(
                f"generation needs torch and the Wan2.2 code, and '{error.name}' is not installed here; run the worker's Docker image on a GPU") from error
        if not torch.cuda.is_available():
            raise ModelUnavailable("no CUDA device is visible to the worker")
        missing = [name for name in WEIGHT_FILES if not os.path.exists(os.path.join(self.settings.weights_dir, name))]
        if missing:
            raise ModelUnavailable(f"WAN_WEIGHTS_DIR={self.settings.weights_dir} lacks {', '.join(missing)}; download Wan-AI/Wan2.2-TI2V-5B there (README)")
        config = WAN_CONFIGS[TASK]
        if config.sample_fps != FPS or config.frame_num != SEGMENT_FRAMES:
            raise ModelUnavailable(f"the installed Wan2.2 code makes {config.frame_num} frames at {config.sample_fps} fps, not the pinned {SEGMENT_FRAMES} at {FPS}")
        log.info("loading Wan2.2 %s from %s", TASK, self.settings.weights_dir)
        self._pipeline = wan.WanTI2V(
            config=config,
            checkpoint_dir=self.settings.weights_dir,
            device_id=0,
            rank=0,
            t5_cpu=self.settings.t5_cpu,
            convert_model_dtype=True,
        )
        self._modules = {"config": config, "sizes": SIZE_CONFIGS, "areas": MAX_AREA_CONFIGS, "save_video": save_video,
                         "image": Image, "loop": wan.textimage2video}

    def segment(self, prompt, image, width, height, frames, seed, out_path, on_step) -> None:
        """image is a path fitted to width×height, or None for text-to-video."""
        if not is_valid_frame_count(frames) or frames > SEGMENT_FRAMES:
            raise ValueError(f"a segment is 4n+1 frames, at most {SEGMENT_FRAMES}; got {frames}")
        self.load()
        m = self._modules
        config = m["config"]
        size = f"{width}*{height}"
        picture = m["image"].open(image).convert("RGB") if image else None
        with _steps_reported(m["loop"], on_step):
            video = self._pipeline.generate(
                prompt,
                img=picture,
                size=m["sizes"][size],
                max_area=m["areas"][size],
                frame_num=frames,
                shift=config.sample_shift,
                sample_solver="unipc",
                sampling_steps=self.settings.sample_steps or config.sample_steps,
                guide_scale=config.sample_guide_scale,
                seed=seed,
                offload_model=self.settings.offload_model,
            )
        m["save_video"](tensor=video[None], save_file=out_path, fps=config.sample_fps, nrow=1, normalize=True, value_range=(-1, 1))


@contextmanager
def _steps_reported(loop_module, on_step):
    """The official sampling loop has no callback; it iterates tqdm(timesteps), so a counting tqdm reports each step."""
    original = loop_module.tqdm

    def counting(iterable, *args, **kwargs):
        items = list(iterable)
        for index, item in enumerate(items):
            yield item
            on_step(index + 1, len(items))

    loop_module.tqdm = counting
    try:
        yield
    finally:
        loop_module.tqdm = original
