"""Files in the object store: digests, the content cache, chunked uploads resumed, streams resumed."""

import hashlib
import http.server
import os
import threading

import pytest

import cairn


def test_put_and_get_through_the_cache(client, catalog, tmp_path):
    data = os.urandom(50_000)
    version = client.put(f"/hatrac/{catalog.id}/files/blob.bin", data)
    assert version.startswith(f"/hatrac/{catalog.id}/files/blob.bin:")
    got = client.get(f"/hatrac/{catalog.id}/files/blob.bin", to=tmp_path)
    assert got == tmp_path / "blob.bin" and got.read_bytes() == data

    before = client.stats.bytes_received
    again = client.get(f"/hatrac/{catalog.id}/files/blob.bin", to=tmp_path / "again.bin")
    assert again.read_bytes() == data
    assert client.stats.bytes_received == before, "a cache hit (304 to the ETag) moves no bytes"

    newer = os.urandom(100)
    client.put(f"/hatrac/{catalog.id}/files/blob.bin", newer)
    assert client.get(f"/hatrac/{catalog.id}/files/blob.bin").read_bytes() == newer, "a new version is fetched"
    assert client.get(version).read_bytes() == data, "an old version stays reachable"
    assert client.get(f"/hatrac/{catalog.id}/files/blob.bin", version=version.rsplit(":", 1)[1]).read_bytes() == data


def test_put_takes_paths_bytes_and_streams(client, catalog, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("from a file")
    client.put(f"{catalog.id}/files/notes.txt", path, content_type="text/plain")
    with open(path, "rb") as f:
        client.put(f"{catalog.id}/files/stream.txt", f)
    assert client.get(f"{catalog.id}/files/stream.txt").read_bytes() == b"from a file"
    meta = client.store.metadata(f"{catalog.id}/files/notes.txt")
    assert meta["content-type"] == "text/plain"
    assert meta["content-md5"]
    assert sorted(client.store.ls(f"/hatrac/{catalog.id}/files")) == [
        f"/hatrac/{catalog.id}/files/notes.txt", f"/hatrac/{catalog.id}/files/stream.txt"]


def test_an_interrupted_chunked_upload_resumes_with_only_the_missing_chunks(client, catalog, monkeypatch):
    store = client.store
    store.chunk_threshold, store.chunk_size = 10_000, 4096
    data = os.urandom(40_000)  # 10 chunks
    path = f"/hatrac/{catalog.id}/models/model.bin"
    real = store._send_chunk
    sent = []

    def failing(job, index, chunk):
        if len(sent) == 4:
            raise cairn.ConnectionFailed("the network went away")
        real(job, index, chunk)
        sent.append(index)

    monkeypatch.setattr(store, "_send_chunk", failing)
    with pytest.raises(cairn.ConnectionFailed):
        store.put(path, data)
    assert sent == [0, 1, 2, 3]
    with pytest.raises(cairn.NotFound):
        store.metadata(path)  # nothing is visible before the job finishes

    monkeypatch.setattr(store, "_send_chunk", real)
    fresh = cairn.connect(chunk_threshold=10_000, chunk_size=4096)  # another process: only the cache is shared
    version = fresh.store.put(path, data)
    assert fresh.store.last_chunks_sent == [4, 5, 6, 7, 8, 9], "only the missing chunks are sent again"
    assert fresh.get(version).read_bytes() == data
    assert fresh.store.metadata(path)["content-md5"]


def test_a_chunked_upload_with_nothing_to_resume_starts_over(client, catalog):
    client.store.chunk_threshold, client.store.chunk_size = 1000, 512
    data = os.urandom(3000)
    version = client.put(f"/hatrac/{catalog.id}/models/fresh.bin", data)
    assert client.store.last_chunks_sent == [0, 1, 2, 3, 4, 5]
    assert hashlib.sha256(client.get(version).read_bytes()).digest() == hashlib.sha256(data).digest()


def test_open_streams(client, catalog):
    data = os.urandom(3 << 20)
    client.put(f"/hatrac/{catalog.id}/files/stream.bin", data)
    with client.open(f"/hatrac/{catalog.id}/files/stream.bin") as f:
        first = f.read(1000)
        rest = f.read()
    assert first + rest == data


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Serves BODY, breaking off the first response halfway; honours Range with If-Range."""

    BODY = os.urandom(200_000)
    calls = []

    def do_GET(self):
        rng = self.headers.get("Range")
        type(self).calls.append(rng)
        start = int(rng.split("=")[1].rstrip("-")) if rng else 0
        self.send_response(206 if rng else 200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(self.BODY) - start))
        self.end_headers()
        if len(type(self).calls) == 1:
            self.wfile.write(self.BODY[:70_000])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(self.BODY[start:])

    def log_message(self, *args):
        pass


def test_a_stream_cut_midway_resumes_with_range(home):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = cairn.connect(f"http://127.0.0.1:{server.server_port}", token="t")
        with client.open("/hatrac/x/y") as f:
            assert f.read() == _Flaky.BODY
        assert _Flaky.calls[0] is None and _Flaky.calls[1].startswith("bytes=") and _Flaky.calls[1] != "bytes=0-"
    finally:
        server.shutdown()


def test_a_checksum_that_does_not_match_is_refused(client, catalog):
    with pytest.raises(cairn.BadRequest):
        client.http.request("PUT", f"/hatrac/{catalog.id}/files/bad.bin", data=b"abc",
                            params={"parents": "true"}, headers={"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})
