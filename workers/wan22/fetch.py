"""Fetches the job's image as Reelgate's guard would: http(s) only, no credentials in the URL, every address the host
resolves to public (checked again on each redirect), the connection pinned to the checked address, a size cap, and
the type judged by the bytes, never by the Content-Type header."""

import http.client
import socket
import ssl
import urllib.parse

from addresses import classify
from inputs import InvalidInput

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}


def sniff(head: bytes) -> str | None:
    """'jpg', 'png' or 'webp' by the file's magic bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def fetch_image(url: str, dest_stem: str, *, max_bytes=MAX_IMAGE_BYTES, allow_private=False, timeout=30.0) -> str:
    """Downloads to dest_stem + '.<type>' and returns that path; raises InvalidInput naming input.imageUrl."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise InvalidInput(f"input.imageUrl: uses '{parts.scheme}'; only http and https URLs can be fetched")
        if parts.username is not None or parts.password is not None:
            raise InvalidInput("input.imageUrl: carries credentials in the URL, which are not accepted")
        if not parts.hostname:
            raise InvalidInput("input.imageUrl: has no host")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _resolve(parts.hostname, port, allow_private)
        connection = _connection(parts.scheme, parts.hostname, address, port, timeout)
        try:
            path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            connection.request("GET", path, headers={"User-Agent": "reelgate-wan22-worker", "Accept": "image/*"})
            response = connection.getresponse()
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urllib.parse.urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise InvalidInput(f"input.imageUrl: answered HTTP {response.status}")
            return _save(response, dest_stem, max_bytes)
        except (OSError, http.client.HTTPException) as error:
            raise InvalidInput(f"input.imageUrl: could not be fetched ({type(error).__name__}: {error})") from error
        finally:
            connection.close()
    raise InvalidInput(f"input.imageUrl: redirects more than {MAX_REDIRECTS} times")


def _resolve(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InvalidInput(f"input.imageUrl: the host {host} could not be resolved") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for address in addresses:
            kind = classify(address.split("%")[0])
            if kind != "public":
                raise InvalidInput(f"input.imageUrl: the host {host} resolves to {address}, a {kind} address the worker does not connect to")
    return addresses[0]


def _connection(scheme, host, address, port, timeout):
    if scheme == "https":
        return _PinnedHTTPS(host, address, port, timeout)
    return _PinnedHTTP(host, address, port, timeout)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, so a second DNS answer cannot point the request elsewhere."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _save(response, dest_stem, max_bytes) -> str:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InvalidInput(f"input.imageUrl: the image is larger than {max_bytes} bytes")
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise InvalidInput(f"input.imageUrl: the image is larger than {max_bytes} bytes")
    kind = sniff(body[:16])
    if kind is None:
        raise InvalidInput("input.imageUrl: is not a JPEG, PNG or WebP image (judged by its bytes)")
    path = f"{dest_stem}.{kind}"
    with open(path, "wb") as file:
        file.write(body)
    return path
