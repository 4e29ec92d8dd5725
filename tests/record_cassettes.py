"""Re-record every cassette against a real OpenAI-compatible server.

    python -m tests.record_cassettes            # the embedded llama.cpp server (default)
    make cassettes                              # the same

The cassettes name the address http://127.0.0.1:8765/v1, so the embedded
server is started on that port (with log-probabilities on, as a remote
endpoint such as vLLM serves them), the cassette tests run with record mode
"rewrite", and the server is stopped. Authorization headers are filtered out
of every cassette (tests/conftest.py), so a key used while recording never
lands in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

from summarizer.embedded import EmbeddedServer, bundled_model_path
from tests.conftest import CASSETTE_BASE_URL, CASSETTE_MODEL


def main() -> int:
    port = urlsplit(CASSETTE_BASE_URL).port
    server = EmbeddedServer(bundled_model_path(), threads=os.cpu_count() or 2, context_tokens=4096,
                            alias=CASSETTE_MODEL, port=port, logprobs=True)
    print(f"recording against the embedded model at {server.start()}", file=sys.stderr)
    try:
        return subprocess.call([sys.executable, "-m", "pytest", "-m", "vcr", "--record-mode=rewrite", "-q", *sys.argv[1:]])
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
