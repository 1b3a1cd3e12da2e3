"""ffmpeg steps around the model: fitting the input image, taking a segment's last frame, joining segments."""

import json
import subprocess


class MediaError(RuntimeError):
    pass


def _run(args):
    result = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise MediaError(result.stderr.strip()[-500:] or f"ffmpeg exited with {result.returncode}")


def fit_image(src: str, dst: str, width: int, height: int) -> None:
    """Scales to cover width×height and center-crops, so the model's image-to-video keeps exactly that size."""
    _run(["-i", src, "-vf", f"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height}",
          "-frames:v", "1", dst])


def last_frame(video: str, frames: int, dst: str) -> None:
    _run(["-i", video, "-vf", f"select=eq(n\\,{frames - 1})", "-vsync", "0", "-frames:v", "1", dst])


def join(segments: list[str], dst: str, fps: int, preset: str) -> None:
    """One segment is remuxed for streaming; more are joined dropping each later segment's first frame, which
    repeats the frame it was started from."""
    if len(segments) == 1:
        _run(["-i", segments[0], "-c", "copy", "-movflags", "+faststart", dst])
        return
    inputs = [arg for path in segments for arg in ("-i", path)]
    parts = ["[0:v]setpts=PTS-STARTPTS[v0]"]
    parts += [f"[{i}:v]trim=start_frame=1,setpts=PTS-STARTPTS[v{i}]" for i in range(1, len(segments))]
    chain = "".join(f"[v{i}]" for i in range(len(segments)))
    graph = ";".join(parts) + f";{chain}concat=n={len(segments)}:v=1:a=0,fps={fps},format=yuv420p[out]"
    _run([*inputs, "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", preset, "-crf", "18",
          "-movflags", "+faststart", dst])


def probe(path: str) -> dict:
    """width, height, frames (counted by decoding) and fps of the first video stream."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
         "stream=width,height,nb_read_frames,r_frame_rate", "-of", "json", path],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise MediaError(result.stderr.strip()[-500:] or "ffprobe failed")
    stream = json.loads(result.stdout)["streams"][0]
    num, den = stream["r_frame_rate"].split("/")
    return {"width": stream["width"], "height": stream["height"], "frames": int(stream["nb_read_frames"]),
            "fps": int(num) / int(den)}
