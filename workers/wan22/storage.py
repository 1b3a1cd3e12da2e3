"""Uploads the clip with boto3 to S3 or R2 under Reelgate's key layout and hands back a link Reelgate can copy from."""

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from inputs import Request

MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # R2's and S3's limit for presigned URLs


class StorageUnavailable(RuntimeError):
    pass


def output_key(prefix: str, request: Request, runpod_job_id: str, now: datetime | None = None) -> str:
    """Reelgate's template, {prefix}/{yyyy}/{MM}/user_{userId}/video_{jobId}.mp4 (src/Reelgate/Storage/StorageKeys.cs);
    a job sent without Reelgate's ids goes under runpod/, named by RunPod's job id."""
    prefix = prefix.strip("/")
    if request.job_id and request.user_id:
        created = (request.created_at or now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        return f"{prefix}/{created:%Y}/{created:%m}/user_{request.user_id}/video_{request.job_id}.mp4"
    created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", runpod_job_id).lstrip("._-") or "job"
    return f"{prefix}/{created:%Y}/{created:%m}/runpod/video_{safe}.mp4"


@dataclass(frozen=True)
class StorageSettings:
    endpoint_url: str | None
    bucket: str
    access_key_id: str
    secret_access_key: str
    region: str = "auto"
    prefix: str = "wan22"
    public_base_url: str | None = None
    url_expires_seconds: int = 24 * 3600

    @staticmethod
    def from_env(env=os.environ) -> "StorageSettings":
        missing = [name for name in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY") if not env.get(name)]
        if missing:
            raise StorageUnavailable(f"the worker's storage is not configured: set {', '.join(missing)}")
        expires = int(env.get("S3_URL_EXPIRES_SECONDS", 24 * 3600))
        if not 60 <= expires <= MAX_PRESIGN_SECONDS:
            raise StorageUnavailable(f"S3_URL_EXPIRES_SECONDS must be from 60 to {MAX_PRESIGN_SECONDS}")
        return StorageSettings(
            endpoint_url=env.get("S3_ENDPOINT_URL") or None,
            bucket=env["S3_BUCKET"],
            access_key_id=env["S3_ACCESS_KEY_ID"],
            secret_access_key=env["S3_SECRET_ACCESS_KEY"],
            region=env.get("S3_REGION", "auto"),
            prefix=env.get("S3_KEY_PREFIX", "wan22"),
            public_base_url=(env.get("S3_PUBLIC_BASE_URL") or "").rstrip("/") or None,
            url_expires_seconds=expires,
        )


class Store:
    def __init__(self, settings: StorageSettings):
        import boto3
        from botocore.config import Config

        self.settings = settings
        # Path-style and SigV4 work on R2, S3 and s3rver alike; bucket subdomains need DNS that local servers lack.
        self._client = boto3.client(
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"}),
        )

    def upload(self, path: str, key: str) -> str:
        self._client.upload_file(path, self.settings.bucket, key, ExtraArgs={"ContentType": "video/mp4"})
        if self.settings.public_base_url:
            return f"{self.settings.public_base_url}/{key}"
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self.settings.bucket, "Key": key}, ExpiresIn=self.settings.url_expires_seconds)
