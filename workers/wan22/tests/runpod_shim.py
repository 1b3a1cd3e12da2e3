"""A tiny local stand-in for RunPod serverless around the worker's handler: POST /v2/{endpoint}/run, GET
/v2/{endpoint}/status/{id}, POST /v2/{endpoint}/cancel/{id}, Bearer auth, progress as IN_PROGRESS output, and the
completion webhook with the /status body (three tries, as RunPod makes). The model is the ffmpeg generator double;
storage is real (S3_* variables, see README). Prints "listening on <url>" once it serves.

    python3 tests/runpod_shim.py --port 0 --endpoint wan22-local [--allow-private-networks]
"""

import argparse
import http.server
import json
import os
import queue
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import handler  # noqa: E402
from doubles import FfmpegGenerator  # noqa: E402
from storage import StorageSettings, Store  # noqa: E402


class Shim:
    def __init__(self, endpoint, api_key, allow_private):
        self.endpoint, self.api_key, self.allow_private = endpoint, api_key, allow_private
        self.jobs, self.lock, self.queue = {}, threading.Lock(), queue.Queue()
        self.store = Store(StorageSettings.from_env())
        self.generator = FfmpegGenerator()
        threading.Thread(target=self._work, daemon=True).start()

    def submit(self, body):
        job_id = f"{uuid.uuid4()}-u1"
        with self.lock:
            self.jobs[job_id] = {"id": job_id, "status": "IN_QUEUE", "input": body["input"], "webhook": body.get("webhook"),
                                 "submitted": time.monotonic()}
        self.queue.put(job_id)
        return {"id": job_id, "status": "IN_QUEUE"}

    def status(self, job_id):
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            answer = {key: job[key] for key in ("id", "status", "delayTime", "executionTime", "output", "error") if key in job}
        return answer

    def cancel(self, job_id):
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            if job["status"] in ("IN_QUEUE", "IN_PROGRESS"):
                job["status"] = "CANCELLED"
        return {"id": job_id, "status": job["status"]}

    def _work(self):
        while True:
            job_id = self.queue.get()
            with self.lock:
                job = self.jobs[job_id]
                if job["status"] == "CANCELLED":
                    continue
                job.update(status="IN_PROGRESS", delayTime=int((time.monotonic() - job["submitted"]) * 1000))
            started = time.monotonic()

            def progress(payload, job=job):
                with self.lock:
                    if job["status"] == "IN_PROGRESS":
                        job["output"] = payload

            result = handler.run({"id": job_id, "input": job["input"]}, generator=self.generator, store=self.store,
                                 progress=progress, allow_private=self.allow_private, preset="ultrafast")
            # As the SDK does: "error" fails the job, "refresh_worker" is an instruction to RunPod, the rest is output.
            result.pop("refresh_worker", None)
            with self.lock:
                if job["status"] == "CANCELLED":
                    continue
                job["executionTime"] = int((time.monotonic() - started) * 1000)
                if "error" in result:
                    job.update(status="FAILED", error=result["error"])
                    job.pop("output", None)
                else:
                    job.update(status="COMPLETED", output=result)
                webhook = job["webhook"]
            if webhook:
                self._call_back(webhook, json.dumps(self.status(job_id)).encode())

    @staticmethod
    def _call_back(url, body):
        for _ in range(3):
            try:
                request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status == 200:
                        return
            except OSError as error:
                print(f"webhook failed: {error}", file=sys.stderr, flush=True)
            time.sleep(1)


def serve(shim, port):
    prefix = f"/v2/{shim.endpoint}/"

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self, method):
            if self.headers.get("Authorization") != f"Bearer {shim.api_key}":
                return self._answer(401, {"error": "Unauthorized"})
            if not self.path.startswith(prefix):
                return self._answer(404, {"error": "no such endpoint"})
            action, _, job_id = self.path[len(prefix):].partition("/")
            if method == "POST" and action == "run":
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if not isinstance(body.get("input"), dict):
                    return self._answer(400, {"error": "input is required"})
                return self._answer(200, shim.submit(body))
            if method == "GET" and action == "status" and job_id:
                found = shim.status(job_id)
            elif method == "POST" and action == "cancel" and job_id:
                found = shim.cancel(job_id)
            else:
                return self._answer(404, {"error": "no such route"})
            return self._answer(200, found) if found else self._answer(404, {"error": "job not found"})

        def do_GET(self):
            self._route("GET")

        def do_POST(self):
            self._route("POST")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--endpoint", default="wan22-local")
    parser.add_argument("--allow-private-networks", action="store_true")
    args = parser.parse_args()
    serve(Shim(args.endpoint, os.environ.get("RUNPOD_API_KEY", ""), args.allow_private_networks), args.port)


if __name__ == "__main__":
    main()
