import re
from pathlib import Path

WORKER = Path(__file__).resolve().parent.parent


def test_the_dockerfile_and_requirements_pin_the_same_wan22_commit():
    dockerfile = re.search(r"ARG WAN_COMMIT=([0-9a-f]{40})", (WORKER / "Dockerfile").read_text()).group(1)
    requirements = re.search(r"Wan2\.2@([0-9a-f]{40})", (WORKER / "requirements.txt").read_text()).group(1)

    assert dockerfile == requirements


def test_the_image_carries_every_module_the_handler_imports():
    dockerfile = (WORKER / "Dockerfile").read_text()

    assert "COPY contract.json *.py ./" in dockerfile
    assert re.search(r"^FROM \S+:\S+$", dockerfile, re.M) and ":latest" not in dockerfile
