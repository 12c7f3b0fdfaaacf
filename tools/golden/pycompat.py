#!/usr/bin/env python3
"""Write the golden cases that SmithJSON's Python-compatibility tests compare against, byte for byte.

Run from anywhere (needs only CPython 3.11, the version the pipeline uses, and no network):

    python3 tools/golden/pycompat.py

It rewrites Tests/SmithJSONTests/Golden/pycompat.json with what CPython computes for:

- json_cases: JSON source texts (hand-picked tricky ones plus deterministic random strings and structures)
  and, for the value json.loads makes of each, json.dumps (default, ensure_ascii=False, indent=2,
  sort_keys=True), str() and repr();
- float_bits / float_literals: repr(float) of random bit patterns, of random decimal literals and of
  doubles around the fixed/scientific switch points;
- random: random.Random sequences (getrandbits, random, _randbelow, randrange, choice, sample, shuffle)
  for several integer seeds;
- parse_verdicts: small documents with random byte-level damage (as hex), and whether json.loads of their
  UTF-8 text accepts them (and then json.dumps of the value) or rejects them;
- fixtures: SHA-256 of json.dumps (default, indent=2, ensure_ascii=False) and repr() of every .json and
  .traj file under Tests/Fixtures (and of each line of the .jsonl files, joined with newlines).

The output is deterministic: running it twice gives the same file. Commit the result.
"""

import hashlib
import json
import math
import random
import struct
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "Tests" / "SmithJSONTests" / "Golden" / "pycompat.json"
FIXTURES = ROOT / "Tests" / "Fixtures"

HAND_PICKED = [
    # scalars
    "null", "true", "false", "0", "-0", "1", "-1", "42", "123456789012345678901234567890",
    "-123456789012345678901234567890", "9007199254740993", "-9223372036854775809",
    # floats
    "1e-05", "1e+16", "1e16", "1e15", "0.1", "100000.0", "1.0E5", "-0.0", "1e400", "-1e400", "1e-400",
    "5e-324", "1.7976931348623157e308", "0.30000000000000004", "1e22", "1e15", "123.456e-10", "0.0001",
    "0.00001", "1.5e-7", "9007199254740993.0", "2.5", "1E2", "1e0", "0e0", "-0e0", "0.0", "1.0", "10.0",
    "1234567890123456.7", "12345678901234567.0", "4.35", "-1.5E-300", "2.2250738585072014e-308",
    "4.9406564584124654e-324", "0.1e1", "100e-2", "NaN", "Infinity", "-Infinity",
    "[NaN, Infinity, -Infinity, -0, -0.0, 1.0E5]",
    # strings
    '""', '"plain"', '"quote \\" inside"', '"back\\\\slash"', '"slash / and \\/"', '"\\b\\f\\n\\r\\t"',
    '"\\u0000\\u0001\\u001f\\u007f\\u0080\\u009f\\u00a0"', '"caf\\u00e9"', '"café"', '"日本語"',
    '"😀"', '"\\ud83d\\ude00"', '"\\uD83D\\uDE00 upper hex"', '"\\u2028\\u2029"',
    '"\\u00ad\\u200b\\ufeff\\ue000\\u0378\\u0085\\u00ff\\u0100"', '"it\'s"', '"say \\"hi\\""',
    '"it\'s \\"both\\""', '"\\ud83d\\udedc new in Unicode 15"', '"\\ud83e\\udee9 new in Unicode 16"',
    '"\\u3000 ideographic space \\u1680 \\u2000"', '"\\udb40\\udc01 tag \\udbff\\udfff last"',
    '"\\u0600 arabic format \\u061c"', '"mixed \\t tab and \\\\ and \' and é"', '"\\u001b[31mred\\u001b[0m"',
    '"<script>&amp;</script>"',
    # containers
    "[]", "{}", "[[]]", '{"a": {}}', '[1, "a", null, true, [2, [3, {}]], {"k": []}]',
    '{"a": 1, "b": [1, 2], "c": {"d": null}}', '{"a": 1, "b": 2, "a": 3}', '{"z": 1, "a": 2, "m": [3]}',
    '{"é": 1, "e": 2, "\\u00e9": 3}', '{"e\\u0301": 1, "\\u00e9": 2}', '{"": "", "key with space": [{}]}',
    '  {  "a" : [ 1 , 2 ] ,"b":{"c":[]}}  ', '\n[\n\t1,\r\n2]\n',
    '{"b": {"y": 1, "x": 2}, "a": [{"d": 1, "c": 2}]}',
    '[' * 20 + '"deep"' + ']' * 20,
    '{"trajectory": [{"action": "ls -la\\n", "observation": "total 0\\r\\n", "response": "I\'ll \\"run\\" it",'
    ' "state": {"open_file": "n/a", "working_dir": "/testbed"}}], "info": {"model_stats": {"instance_cost":'
    ' 0.1234, "tokens_sent": 12345, "api_calls": 7}}}',
]

CODE_POINT_POOLS = [
    (0x20, 0x7E), (0x00, 0x1F), (0x7F, 0xA0), (0xA1, 0xFF), (0x100, 0x2FFF), (0x3000, 0xD7FF),
    (0xE000, 0xFFFF), (0x10000, 0x1FFFF), (0x20000, 0x10FFFF),
]


def random_string(rng):
    """A random string mixing ASCII with characters from all planes (no surrogates)."""
    chars = []
    for _ in range(rng.randrange(0, 24)):
        lo, hi = rng.choice(CODE_POINT_POOLS[:1] * 4 + CODE_POINT_POOLS)
        chars.append(chr(rng.randint(lo, hi)))
    if rng.random() < 0.3:
        chars.append(rng.choice(["'", '"', "\\", "\n", "\r\n", "\t", "/"]))
    return "".join(chars)


def random_number_text(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return str(rng.randint(-10**25, 10**25))
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 19))).lstrip("0") or "0"
    if kind == 1:
        return digits + "." + str(rng.randint(0, 999))
    sign = rng.choice(["", "-"])
    return f"{sign}{digits[0]}.{digits[1:] or '0'}{rng.choice('eE')}{rng.choice(['', '+', '-'])}{rng.randint(0, 330)}"


def random_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice(["null", "true", "false"])
    if kind in (1, 2):
        return json.dumps(random_string(rng), ensure_ascii=rng.random() < 0.5)
    if kind in (3, 4):
        return random_number_text(rng)
    if kind == 5:
        return "[" + ", ".join(random_value(rng, depth + 1) for _ in range(rng.randrange(4))) + "]"
    members = []
    keys = [random_string(rng) for _ in range(rng.randrange(5))]
    if keys and rng.random() < 0.2:
        keys.append(rng.choice(keys))  # a repeated key
    for key in keys:
        members.append(json.dumps(key, ensure_ascii=rng.random() < 0.5) + ": " + random_value(rng, depth + 1))
    return "{" + ", ".join(members) + "}"


def json_cases():
    rng = random.Random(20250101)
    sources = list(HAND_PICKED)
    sources += [json.dumps(random_string(rng), ensure_ascii=rng.random() < 0.5) for _ in range(200)]
    sources += [random_value(rng) for _ in range(200)]
    cases = []
    for source in sources:
        value = json.loads(source)
        cases.append({
            "source": source,
            "dumps": json.dumps(value),
            "dumps_ascii_false": json.dumps(value, ensure_ascii=False),
            "dumps_indent2": json.dumps(value, indent=2),
            "dumps_sorted": json.dumps(value, sort_keys=True),
            "str": str(value),
            "repr": repr(value),
        })
    return cases


def float_bits():
    rng = random.Random(7)
    patterns = [rng.getrandbits(64) for _ in range(3000)]
    # Doubles with small exponents dominate real data: draw those too.
    for _ in range(1000):
        exponent = rng.randint(1023 - 70, 1023 + 70)
        patterns.append(rng.getrandbits(1) << 63 | exponent << 52 | rng.getrandbits(52))
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]
    for e in range(-30, 30):
        x = 10.0 ** e
        specials += [x, math.nextafter(x, 0), math.nextafter(x, math.inf), -x]
    for x in (0.0001, 1e16, 2**53, 2**63):
        specials += [math.nextafter(math.nextafter(x, 0), 0), x * 0.5, x * 3]
    patterns += [struct.unpack("<Q", struct.pack("<d", x))[0] for x in specials]
    result = []
    for bits in patterns:
        (x,) = struct.unpack("<d", struct.pack("<Q", bits))
        result.append([f"{bits:016x}", repr(x)])
    return result


def float_literals():
    rng = random.Random(11)
    result = []
    for _ in range(2000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        point = rng.randint(0, len(digits))
        mantissa = (digits[:point] or "0") + "." + (digits[point:] or "0")
        literal = f"{rng.choice(['', '-'])}{mantissa}e{rng.randint(-340, 320)}"
        value = float(literal)
        result.append([literal, repr(value), json.dumps(value)])
    return result


def random_sequences():
    seeds = [0, 1, 24, 42, 2**32 + 5, 12345678901234567890, -7]
    result = []
    for seed in seeds:
        r = random.Random(seed)
        getrandbits32 = [r.getrandbits(32) for _ in range(20)]
        r = random.Random(seed)
        getrandbits = [[k, str(r.getrandbits(k))] for k in range(0, 201)]
        r = random.Random(seed)
        randoms = [repr(r.random()) for _ in range(50)]
        randbelow = []
        for n in [1, 2, 3, 5, 7, 10, 100, 1000, 2**31 - 1, 2**31, 2**32 + 1, 2**53, 2**62 + 3, 2**63 - 1]:
            r = random.Random(seed)
            randbelow.append([str(n), [str(r._randbelow(n)) for _ in range(10)]])
        r = random.Random(seed)
        randranges = [[a, b, r.randrange(a, b)] for a, b in [(0, 10), (-5, 5), (3, 4), (100, 10**6)] * 3]
        r = random.Random(seed)
        randints = [[a, b, r.randint(a, b)] for a, b in [(0, 10), (-5, 5), (3, 3), (1, 6)] * 3]
        r = random.Random(seed)
        choices = [r.choice(list(range(n))) for n in (1, 2, 7, 100, 1000)]
        samples = []
        for n, k in [(10, 3), (100, 3), (5, 5), (1000, 50), (30, 7), (0, 0), (1, 1), (22, 6), (10**5, 5),
                     (200, 6), (88, 5), (1000, 300)]:
            r = random.Random(seed)
            samples.append([n, k, r.sample(range(n), k)])
        shuffles = []
        for n in (0, 1, 2, 10, 1000):
            r = random.Random(seed)
            x = list(range(n))
            r.shuffle(x)
            shuffles.append([n, x])
        result.append({
            "seed": str(seed),
            "getrandbits32": getrandbits32,
            "getrandbits": getrandbits,
            "random": randoms,
            "randbelow": randbelow,
            "randrange": randranges,
            "randint": randints,
            "choice": choices,
            "sample": samples,
            "shuffle": shuffles,
        })
    return result


VERDICT_SEEDS = [
    b'{"a": [1, -2.5e3, true, null], "b": {"c": "x\\ny \\u00e9 \\ud83d\\ude00"}, "d": []}',
    b'[0, -0.0, 1E+2, "q\\"\\\\", {"k": false}, NaN, -Infinity]',
    '{"té": "café 日本 😀", "n": 123456789012345678901}'.encode(),
    b'  {"trajectory": [{"action": "ls\\n", "observation": null}], "info": {}}  ',
]
INTERESTING_BYTES = b'"\\,:{}[]0123456789eE.-+ \n\tuntfalsNI\x00\x1f\x7f\x80\xbf\xc3\xe2\xed\xf0\xf4\xff'


def parse_verdicts():
    rng = random.Random(99)
    result = []
    while len(result) < 3000:
        data = bytearray(rng.choice(VERDICT_SEEDS))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(data) + 1)
            action = rng.randrange(4)
            if action == 0 and i < len(data):
                del data[i]
            elif action == 1:
                data.insert(i, rng.choice(INTERESTING_BYTES))
            elif action == 2 and i < len(data):
                data[i] = rng.choice(INTERESTING_BYTES)
            else:
                del data[i:]
        data = bytes(data)
        if data.startswith(b"\xef\xbb\xbf"):
            continue  # json.loads(str) rejects a BOM; the parser skips it like json.loads(bytes)
        try:
            value = json.loads(data.decode("utf-8"))
            expected = json.dumps(value)
        except (ValueError, RecursionError):
            expected = None
        if expected is not None and any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(value, ensure_ascii=False)):
            continue  # lone surrogates: not representable in Swift (they become U+FFFD)
        result.append([data.hex(), expected])
    return result


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fixture_hashes():
    result = []
    for path in sorted(FIXTURES.rglob("*"), key=lambda p: p.relative_to(FIXTURES).as_posix()):
        if path.suffix not in (".json", ".traj", ".jsonl") or not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".jsonl":
            values = [json.loads(line) for line in data.splitlines() if line.strip()]
        else:
            values = [json.loads(data)]

        def joined(render):
            return "\n".join(render(v) for v in values)

        result.append({
            "path": path.relative_to(FIXTURES).as_posix(),
            "lines": path.suffix == ".jsonl",
            "dumps": sha256(joined(json.dumps)),
            "dumps_indent2": sha256(joined(lambda v: json.dumps(v, indent=2))),
            "dumps_ascii_false": sha256(joined(lambda v: json.dumps(v, ensure_ascii=False))),
            "repr": sha256(joined(repr)),
        })
    return result


def main():
    golden = {
        "generator": "tools/golden/pycompat.py",
        "python": sys.version.split()[0],
        "unicodedata": unicodedata.unidata_version,
        "json_cases": json_cases(),
        "float_bits": float_bits(),
        "float_literals": float_literals(),
        "random": random_sequences(),
        "parse_verdicts": parse_verdicts(),
        "fixtures": fixture_hashes(),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # One line per case keeps the file small and its diffs readable.
    sections = []
    for key, value in golden.items():
        if isinstance(value, list):
            items = ",\n".join("  " + json.dumps(item) for item in value)
            sections.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            sections.append(f" {json.dumps(key)}: {json.dumps(value)}")
    with open(OUTPUT, "w", encoding="ascii") as f:
        f.write("{\n" + ",\n".join(sections) + "\n}\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
