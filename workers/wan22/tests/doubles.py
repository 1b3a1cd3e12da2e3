"""Stand-ins at the model's boundary: a generator that writes a real MP4 with ffmpeg, and a progress recorder."""

import subprocess


class FfmpegGenerator:
    """Draws each segment with ffmpeg at the asked size, frame count and 24 fps: a test pattern for text-to-video,
    the start image for image-to-video, tinted by the seed so different seeds give different files."""

    def __init__(self, steps=4, fail_with=None):
        self.steps = steps
        self.fail_with = fail_with
        self.calls = []

    def segment(self, prompt, image, width, height, frames, seed, out_path, on_step):
        self.calls.append({"prompt": prompt, "image": image, "width": width, "height": height, "frames": frames, "seed": seed})
        for step in range(1, self.steps + 1):
            if self.fail_with is not None and step == self.steps:
                raise self.fail_with
            on_step(step, self.steps)
        source = ["-loop", "1", "-framerate", "24", "-i", image] if image else ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=24"]
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", "-y", *source, "-frames:v", str(frames),
             "-vf", f"scale={width}:{height},hue=h={seed % 360}", "-r", "24", "-c:v", "libx264", "-preset", "ultrafast",
             "-pix_fmt", "yuv420p", out_path],
            check=True, capture_output=True)


class Progress(list):
    def __call__(self, payload):
        self.append(payload)
