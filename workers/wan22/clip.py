"""A whole clip from 5-second model segments. 10 and 15 s clips are chained: each later segment is image-to-video
from the previous segment's last frame, with the next seed, and the joined clip drops the repeated frames."""

import os
from dataclasses import dataclass

import media
from generate import FPS, SEGMENT_FRAMES, SIZES, frame_count, segment_count
from inputs import InvalidInput, Request

# Share of the progress bar each stage ends at; denoising fills the span between.
DENOISE_START, DENOISE_END = 0.05, 0.9


@dataclass(frozen=True)
class Clip:
    path: str
    frames: int
    width: int
    height: int


def make_clip(generator, request: Request, image: str | None, workdir: str, report, preset="medium") -> Clip:
    """image is the fetched input image, or None. report(stage, progress, **extra) sends a progress update."""
    width, height = SIZES[request.ratio]
    segments = segment_count(request.duration_sec)
    start = None
    if image is not None:
        start = os.path.join(workdir, "start.png")
        try:
            media.fit_image(image, start, width, height)
        except media.MediaError as error:
            raise InvalidInput(f"input.imageUrl: could not be decoded as an image ({error})") from error
    paths = []
    for index in range(segments):
        path = os.path.join(workdir, f"segment{index}.mp4")

        def on_step(step, steps, index=index):
            done = (index + step / steps) / segments
            report("denoise", DENOISE_START + done * (DENOISE_END - DENOISE_START), segment=index + 1, segments=segments)

        generator.segment(request.prompt, start, width, height, SEGMENT_FRAMES, _segment_seed(request.seed, index), path, on_step)
        paths.append(path)
        if index + 1 < segments:
            start = os.path.join(workdir, f"continue{index}.png")
            media.last_frame(path, SEGMENT_FRAMES, start)
    report("encode", DENOISE_END)
    out = os.path.join(workdir, "clip.mp4")
    media.join(paths, out, FPS, preset)
    expected = frame_count(request.duration_sec)
    found = media.probe(out)
    if (found["width"], found["height"], found["frames"]) != (width, height, expected):
        raise media.MediaError(f"the clip came out {found['width']}x{found['height']} with {found['frames']} frames, not {width}x{height} with {expected}")
    return Clip(out, expected, width, height)


def _segment_seed(seed: int, index: int) -> int:
    return (seed + index) % 2**32
