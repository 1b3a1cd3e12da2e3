"""The real model path (generate.WanTI2V5B) without weights or a GPU: what it refuses, and what it asks of the
official Wan2.2 code, observed through stand-in torch/wan modules that record the calls."""

import subprocess
import sys
import types
from pathlib import Path

import pytest

from generate import FPS, SEGMENT_FRAMES, WEIGHT_FILES, ModelUnavailable, Settings, WanTI2V5B, frame_count, is_valid_frame_count, segment_count

WORKER = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("duration,segments,frames", [(5, 1, 121), (10, 2, 241), (15, 3, 361)])
def test_each_duration_is_made_of_5_second_segments_and_a_4n_plus_1_frame_count(duration, segments, frames):
    assert segment_count(duration) == segments
    assert frame_count(duration) == frames
    assert is_valid_frame_count(frames)
    assert frames / FPS >= duration


@pytest.mark.parametrize("frames,valid", [(1, True), (81, True), (121, True), (120, False), (122, False), (0, False)])
def test_the_frame_count_rule_is_4n_plus_1(frames, valid):
    assert is_valid_frame_count(frames) == valid


def test_a_duration_outside_the_contract_is_refused():
    with pytest.raises(ValueError):
        segment_count(7)


def test_the_package_imports_without_torch_and_says_so_only_when_asked_to_generate(tmp_path):
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.modules['torch'] = None\n"
        "import handler, generate\n"
        "try:\n    generate.WanTI2V5B(generate.Settings(weights_dir=sys.argv[2])).load()\n"
        "except generate.ModelUnavailable as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(WORKER), str(tmp_path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "'torch' is not installed here" in result.stdout


@pytest.mark.parametrize("name,value", [("WAN_MODEL_VARIANT", "i2v-a14b"), ("WAN_RESOLUTION", "480p"), ("WAN_FPS", "16")])
def test_settings_other_than_ti2v_5b_720p_24fps_are_refused(name, value):
    with pytest.raises(ModelUnavailable, match=name):
        Settings.from_env({name: value})


def test_settings_come_from_the_environment():
    settings = Settings.from_env({"WAN_WEIGHTS_DIR": "/vol/w", "WAN_MODEL_VARIANT": "ti2v-5b", "WAN_RESOLUTION": "720p", "WAN_FPS": "24",
                                  "WAN_OFFLOAD_MODEL": "true", "WAN_SAMPLE_STEPS": "30"})

    assert settings == Settings(weights_dir="/vol/w", offload_model=True, t5_cpu=False, sample_steps=30)


class FakeWan:
    """Stand-ins for torch, PIL and the parts of the Wan2.2 package generate.py uses, with the pinned config's values."""

    def __init__(self, monkeypatch, cuda=True, frame_num=121, sample_fps=24):
        self.created, self.generated, self.saved = [], [], []
        config = types.SimpleNamespace(sample_fps=sample_fps, frame_num=frame_num, sample_steps=50, sample_shift=5.0, sample_guide_scale=5.0)
        fake = self

        class Video:
            def __getitem__(self, index):
                return ("batched", index)

        class Pipeline:
            def __init__(self, **kwargs):
                fake.created.append(kwargs)

            def generate(self, prompt, **kwargs):
                fake.generated.append({"prompt": prompt, **kwargs})
                for _ in loop.tqdm(range(kwargs["sampling_steps"])):
                    pass
                return Video()

        loop = types.ModuleType("wan.textimage2video")
        loop.tqdm = lambda iterable: iterable
        wan = types.ModuleType("wan")
        wan.WanTI2V = Pipeline
        wan.textimage2video = loop
        configs = types.ModuleType("wan.configs")
        configs.WAN_CONFIGS = {"ti2v-5B": config}
        configs.SIZE_CONFIGS = {"1280*704": (1280, 704), "704*1280": (704, 1280)}
        configs.MAX_AREA_CONFIGS = {"1280*704": 1280 * 704, "704*1280": 704 * 1280}
        utils = types.ModuleType("wan.utils.utils")
        utils.save_video = lambda **kwargs: fake.saved.append(kwargs)
        torch = types.ModuleType("torch")
        torch.cuda = types.SimpleNamespace(is_available=lambda: cuda)
        pil = types.ModuleType("PIL")
        pil.Image = types.SimpleNamespace(open=lambda path: types.SimpleNamespace(convert=lambda mode: ("image", path, mode)))
        for name, module in {"torch": torch, "wan": wan, "wan.textimage2video": loop, "wan.configs": configs, "wan.utils": types.ModuleType("wan.utils"),
                             "wan.utils.utils": utils, "PIL": pil}.items():
            monkeypatch.setitem(sys.modules, name, module)
        self.loop = loop


@pytest.fixture
def weights(tmp_path):
    for name in WEIGHT_FILES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return tmp_path


def test_the_model_is_built_once_from_the_weights_dir_and_asked_for_1280x704_121_frames_with_the_seed(monkeypatch, weights):
    fake = FakeWan(monkeypatch)
    model = WanTI2V5B(Settings(weights_dir=str(weights)))
    steps = []

    model.segment("a fox", None, 1280, 704, SEGMENT_FRAMES, 1234, "/tmp/out.mp4", lambda step, total: steps.append((step, total)))
    model.segment("a fox", "/tmp/start.png", 1280, 704, SEGMENT_FRAMES, 1235, "/tmp/out2.mp4", lambda step, total: None)

    assert len(fake.created) == 1
    assert fake.created[0]["checkpoint_dir"] == str(weights)
    text, image = fake.generated
    assert (text["prompt"], text["img"], text["size"], text["max_area"], text["frame_num"], text["seed"]) == ("a fox", None, (1280, 704), 1280 * 704, 121, 1234)
    assert (text["sampling_steps"], text["shift"], text["guide_scale"], text["sample_solver"], text["offload_model"]) == (50, 5.0, 5.0, "unipc", False)
    assert image["img"] == ("image", "/tmp/start.png", "RGB")
    assert image["seed"] == 1235
    assert [saved["fps"] for saved in fake.saved] == [24, 24]
    assert (fake.saved[0]["save_file"], fake.saved[0]["tensor"]) == ("/tmp/out.mp4", ("batched", None))
    assert steps == [(n, 50) for n in range(1, 51)]


def test_portrait_asks_for_704x1280_and_the_step_hook_is_removed_afterwards(monkeypatch, weights):
    fake = FakeWan(monkeypatch)
    original = fake.loop.tqdm

    WanTI2V5B(Settings(weights_dir=str(weights), sample_steps=8)).segment("p", None, 704, 1280, 121, 1, "/tmp/o.mp4", lambda s, t: None)

    assert fake.generated[0]["size"] == (704, 1280)
    assert fake.generated[0]["sampling_steps"] == 8
    assert fake.loop.tqdm is original


def test_a_segment_that_breaks_the_frame_rule_is_refused_before_the_model_runs(monkeypatch, weights):
    fake = FakeWan(monkeypatch)

    with pytest.raises(ValueError, match="4n\\+1"):
        WanTI2V5B(Settings(weights_dir=str(weights))).segment("p", None, 1280, 704, 120, 1, "/tmp/o.mp4", lambda s, t: None)
    assert fake.generated == []


def test_missing_weights_are_named(monkeypatch, tmp_path):
    FakeWan(monkeypatch)

    with pytest.raises(ModelUnavailable, match="lacks config.json, models_t5_umt5-xxl-enc-bf16.pth, Wan2.2_VAE.pth, google/umt5-xxl"):
        WanTI2V5B(Settings(weights_dir=str(tmp_path))).load()


def test_no_gpu_is_refused(monkeypatch, weights):
    FakeWan(monkeypatch, cuda=False)

    with pytest.raises(ModelUnavailable, match="no CUDA device"):
        WanTI2V5B(Settings(weights_dir=str(weights))).load()


def test_a_wan_config_other_than_the_pinned_one_is_refused(monkeypatch, weights):
    FakeWan(monkeypatch, frame_num=81, sample_fps=16)

    with pytest.raises(ModelUnavailable, match="makes 81 frames at 16 fps"):
        WanTI2V5B(Settings(weights_dir=str(weights))).load()
