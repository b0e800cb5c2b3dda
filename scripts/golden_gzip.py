#!/usr/bin/env python3
"""Golden files for genrm's gzip/inflate (Sources/Eval/Compression), made by Python's zlib.

Writes Tests/EvalTests/Fixtures/gzip/: `data.bin` (the uncompressed bytes) and the same bytes
compressed every way the decoder must handle:
  stored.gz       deflate stored blocks only (level 0)
  fixed.gz        fixed-Huffman blocks only (strategy Z_FIXED)
  dynamic.gz      dynamic-Huffman blocks (level 9), long and overlapping back-references
  multimember.gz  two gzip members back to back (the data split in two)
  headers.gz      a member whose header has FEXTRA, FNAME, FCOMMENT and FHCRC
  empty.gz        an empty input
The data mixes text, all 256 byte values, a short-distance run (overlapping copies) and a
repeat 30,000 bytes back (distance codes near the 32 KiB window). Deterministic: fixed seed.
"""
import os
import random
import struct
import zlib

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "EvalTests", "Fixtures", "gzip")


def data():
    rng = random.Random(20250627)
    words = ["judge", "response", "ranking", "helpfulness", "score", "the", "a", "is", "better", "than"]
    text = " ".join(rng.choice(words) for _ in range(3000)).encode()
    noise = bytes(rng.randrange(256) for _ in range(30000))
    return text + bytes(range(256)) + b"ab" * 400 + noise + text[:5000] + "multilingual: ÄÖÜ 日本語 ✓\n".encode()


def gzip_member(payload, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)
    return compressor.compress(payload) + compressor.flush()


def raw_deflate(payload, level=9):
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(payload) + compressor.flush()


def headers_member(payload):
    flags = 0x04 | 0x08 | 0x10 | 0x02  # FEXTRA, FNAME, FCOMMENT, FHCRC
    header = bytes([0x1F, 0x8B, 8, flags]) + struct.pack("<I", 0) + bytes([0, 255])
    extra = b"AB" + struct.pack("<H", 3) + b"xyz"
    header += struct.pack("<H", len(extra)) + extra + b"data.bin\x00" + b"a comment\x00"
    header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    trailer = struct.pack("<II", zlib.crc32(payload) & 0xFFFFFFFF, len(payload) & 0xFFFFFFFF)
    return header + raw_deflate(payload) + trailer


def main():
    os.makedirs(OUT, exist_ok=True)
    payload = data()
    half = len(payload) // 2
    files = {
        "data.bin": payload,
        "stored.gz": gzip_member(payload, level=0),
        "fixed.gz": gzip_member(payload, strategy=zlib.Z_FIXED),
        "dynamic.gz": gzip_member(payload),
        "multimember.gz": gzip_member(payload[:half]) + gzip_member(payload[half:]),
        "headers.gz": headers_member(payload),
        "empty.gz": gzip_member(b""),
    }
    for name, content in files.items():
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(content)
        print(f"{name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
