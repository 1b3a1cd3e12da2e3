import os

import pytest

from fetch import fetch_image, sniff
from inputs import InvalidInput


def refusal(url, tmp_path, **options):
    with pytest.raises(InvalidInput) as caught:
        fetch_image(url, str(tmp_path / "input"), **options)
    return str(caught.value)


def test_an_image_is_fetched_and_named_by_its_bytes_not_its_content_type(site, png_bytes, tmp_path):
    site.add("/a", png_bytes, headers={"Content-Type": "text/plain"})

    path = fetch_image(site.url("/a"), str(tmp_path / "input"), allow_private=True)

    assert path.endswith("input.png")
    with open(path, "rb") as file:
        assert file.read() == png_bytes


def test_redirects_are_followed(site, png_bytes, tmp_path):
    site.add("/old", status=302, headers={"Location": "/new"})
    site.add("/new", png_bytes)

    assert fetch_image(site.url("/old"), str(tmp_path / "input"), allow_private=True).endswith(".png")


def test_a_file_that_is_not_an_image_is_refused_whatever_its_content_type(site, tmp_path):
    site.add("/fake.png", b"<html>hello</html>", headers={"Content-Type": "image/png"})

    assert "is not a JPEG, PNG or WebP image" in refusal(site.url("/fake.png"), tmp_path, allow_private=True)
    assert os.listdir(tmp_path) == []


def test_an_image_over_the_size_limit_is_refused_by_its_header_or_its_body(site, png_bytes, tmp_path):
    site.add("/big", png_bytes)
    site.add("/unsized", png_bytes, headers={"Content-Length": None})

    assert "larger than 100 bytes" in refusal(site.url("/big"), tmp_path, allow_private=True, max_bytes=100)
    assert "larger than 100 bytes" in refusal(site.url("/unsized"), tmp_path, allow_private=True, max_bytes=100)


def test_an_error_status_is_refused_with_it(site, tmp_path):
    assert "answered HTTP 404" in refusal(site.url("/missing"), tmp_path, allow_private=True)


def test_endless_redirects_are_refused(site, tmp_path):
    site.add("/loop", status=302, headers={"Location": "/loop"})

    assert "redirects more than 5 times" in refusal(site.url("/loop"), tmp_path, allow_private=True)


@pytest.mark.parametrize("url,kind", [
    ("http://127.0.0.1:9/a.png", "loopback"),
    ("http://10.1.2.3/a.png", "private-network"),
    ("http://169.254.169.254/latest/meta-data", "link-local"),
    ("http://[::1]/a.png", "loopback"),
    ("http://[::ffff:192.168.0.1]/a.png", "private-network"),
    ("http://localhost/a.png", "loopback"),
])
def test_private_addresses_are_refused_before_any_connection(url, kind, tmp_path):
    assert f"a {kind} address the worker does not connect to" in refusal(url, tmp_path)


def test_a_redirect_to_a_private_address_is_refused(site, tmp_path, monkeypatch):
    # The site itself is on loopback, so only its redirect target is judged: the first hop is let through.
    import fetch

    checked = []
    real = fetch._resolve

    def first_hop_allowed(host, port, allow_private):
        checked.append(host)
        return real(host, port, allow_private or len(checked) == 1)

    monkeypatch.setattr(fetch, "_resolve", first_hop_allowed)
    site.add("/hop", status=301, headers={"Location": "http://10.0.0.5/secret.png"})

    assert "10.0.0.5, a private-network address" in refusal(site.url("/hop"), tmp_path)
    assert checked == ["127.0.0.1", "10.0.0.5"]


@pytest.mark.parametrize("url,message", [
    ("ftp://example.com/a.png", "only http and https URLs"),
    ("http://user:pass@example.com/a.png", "carries credentials"),
    ("http:///a.png", "has no host"),
    ("http://nonexistent.invalid/a.png", "could not be resolved"),
])
def test_urls_of_the_wrong_shape_are_refused(url, message, tmp_path):
    assert message in refusal(url, tmp_path)


@pytest.mark.parametrize("head,kind", [
    (b"\xff\xd8\xff\xe0rest", "jpg"),
    (b"\x89PNG\r\n\x1a\nrest", "png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    (b"GIF89a", None),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
])
def test_image_types_are_told_by_their_magic_bytes(head, kind):
    assert sniff(head) == kind
