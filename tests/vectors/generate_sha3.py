#!/usr/bin/env python3
"""Writes sha3.json: SHA3-256, SHA3-512 and SHAKE128/256 answers from Python's hashlib (OpenSSL's
FIPS 202 implementation), the reference our Keccak-f[1600] is checked against. Inputs cover the empty
message, short text, and lengths around the SHA3-256 (136) and SHAKE128 (168) rates."""
import hashlib, json, os

def message(n):
    return bytes((i * 7 + 3) % 256 for i in range(n))

cases = []
for text in [b"", b"abc", b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"]:
    cases.append(text)
for n in [1, 135, 136, 137, 167, 168, 169, 200, 335, 336, 337, 1000]:
    cases.append(message(n))

vectors = []
for m in cases:
    vectors.append({
        "message": m.hex(),
        "sha3_256": hashlib.sha3_256(m).hexdigest(),
        "sha3_512": hashlib.sha3_512(m).hexdigest(),
        "shake128_64": hashlib.shake_128(m).hexdigest(64),
        "shake256_200": hashlib.shake_256(m).hexdigest(200),
    })
out = {"source": "Python %s hashlib (OpenSSL FIPS 202)" % os.sys.version.split()[0], "vectors": vectors}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sha3.json"), "w") as f:
    json.dump(out, f, indent=1)
