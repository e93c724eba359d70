"""The UI's mask codecs and polygon rasteriser (Web/mask/*.js), run in the browser.

Reference values come from pycocotools 2.0 (`mask.encode` on the same array, Fortran order):
    m = np.array(ROWS, np.uint8); mask.encode(np.asfortranarray(m))["counts"]
The polygon rule is checked against support/masks.py, a line-by-line port of the server's PolygonRaster.
"""

import json
import random

import pytest

from support.masks import fill_polygon

ROWS = [
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
]
COUNTS = [0, 1, 40, 7, 6, 7, 6, 3, 1, 3, 6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 56, 7, 4, 2]
COCO_STRING = "01X16nN00LK0540000000000b10\\NK"
# 400x300 zeros with ones in rows 10..<290, columns 20..<380: long runs exercise multi-character groups.
BIG_STRING_HEAD, BIG_STRING_TAIL, BIG_STRING_LENGTH = "jk5h8d00", "0Vk5", 727


@pytest.fixture(scope="module")
def codecs(driver, server):
    driver.get(server.url + "/")

    def run(body, *args):
        script = (
            "const done = arguments[arguments.length - 1];"
            "Promise.all([import('/mask/rle.js'), import('/mask/raster.js')]).then(([rle, raster]) => {"
            f"  try {{ done({{ok: (function(rle, raster, args) {{ {body} }})(rle, raster, JSON.parse(arguments[0]))}}); }}"
            "  catch (e) { done({error: String(e.message || e)}); }"
            "}, (e) => done({error: 'import failed: ' + e}));"
        )
        result = driver.execute_async_script(script, json.dumps(args))
        if "error" in result:
            raise AssertionError(result["error"])
        return result["ok"]

    return run


def test_encode_matches_pycocotools(codecs):
    out = codecs(
        "const [rows] = args; const m = Uint8Array.from(rows.flat());"
        "const r = rle.encodeRLE(m, rows[0].length, rows.length);"
        "return {counts: r.counts, string: rle.encodeCountsString(r.counts), width: r.width, height: r.height};",
        ROWS,
    )
    assert out == {"counts": COUNTS, "string": COCO_STRING, "width": 17, "height": 13}


def test_decode_of_pycocotools_string_and_counts_is_exact(codecs):
    out = codecs(
        "const [s, counts] = args;"
        "return [Array.from(rle.decodeRLE({width: 17, height: 13, counts: s})),"
        "        Array.from(rle.decodeRLE({width: 17, height: 13, counts}))];",
        COCO_STRING, COUNTS,
    )
    flat = [v for row in ROWS for v in row]
    assert out[0] == flat
    assert out[1] == flat


def test_long_runs_in_the_compressed_string(codecs):
    out = codecs(
        "const m = new Uint8Array(400 * 300);"
        "for (let y = 10; y < 290; y++) for (let x = 20; x < 380; x++) m[y * 400 + x] = 1;"
        "const s = rle.encodeCountsString(rle.encodeRLE(m, 400, 300).counts);"
        "const back = rle.decodeRLE({width: 400, height: 300, counts: s});"
        "return [s.slice(0, 8), s.slice(-4), s.length, back.every((v, i) => v === m[i])];"
    )
    assert out == [BIG_STRING_HEAD, BIG_STRING_TAIL, BIG_STRING_LENGTH, True]


def test_random_masks_and_label_maps_round_trip(codecs):
    out = codecs(
        "let seed = 12345; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;"
        "const failures = [];"
        "for (let t = 0; t < 200; t++) {"
        "  const w = 1 + Math.floor(rnd() * 40), h = 1 + Math.floor(rnd() * 40), p = rnd();"
        "  const m = new Uint8Array(w * h).map(() => (rnd() < p ? 1 : 0));"
        "  const r = rle.encodeRLE(m, w, h);"
        "  const a = rle.decodeRLE(r);"
        "  const b = rle.decodeRLE({width: w, height: h, counts: rle.encodeCountsString(r.counts)});"
        "  if (!a.every((v, i) => v === m[i]) || !b.every((v, i) => v === m[i])) failures.push('mask ' + t);"
        "  if (r.counts.reduce((s, c) => s + c, 0) !== w * h) failures.push('sum ' + t);"
        "  const l = new Uint8Array(w * h).map(() => Math.floor(rnd() * 4) * (rnd() < 0.7 ? 0 : 1));"
        "  const runs = rle.encodeLabelRuns(l, w, h);"
        "  const back = rle.decodeLabelRuns(runs);"
        "  if (!back.every((v, i) => v === l[i])) failures.push('labels ' + t);"
        "  if (runs.runs.some((r, i) => i > 0 && r[0] === runs.runs[i - 1][0])) failures.push('runs not merged ' + t);"
        "}"
        "return failures;"
    )
    assert out == []


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"width": 2, "height": 2, "counts": [1, 2]}, "runs cover 3 pixels, the image has 4"),
        ({"width": 2, "height": 2, "counts": [1, -1, 4]}, "not a non-negative integer"),
        ({"width": 0, "height": 2, "counts": []}, "is not positive integers"),
        ({"width": 2, "height": 2, "counts": "0 "}, "outside its alphabet"),
        ({"width": 2, "height": 2, "counts": "j"}, "ends inside a run"),
    ],
)
def test_malformed_rle_is_refused_with_a_reason(codecs, bad, reason):
    out = codecs("try { rle.decodeRLE(args[0]); return 'accepted'; } catch (e) { return e.message; }", bad)
    assert reason in out


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"width": 2, "height": 2, "runs": [[0, 3]]}, "cover 3 of 4 pixels"),
        ({"width": 2, "height": 2, "runs": [[0, 5]]}, "cover more than"),
        ({"width": 2, "height": 2, "runs": [[300, 4]]}, "is not a class index"),
        ({"width": 2, "height": 2, "runs": [[1]]}, "is not [label, length]"),
    ],
)
def test_malformed_label_maps_are_refused_with_a_reason(codecs, bad, reason):
    out = codecs("try { rle.decodeLabelRuns(args[0]); return 'accepted'; } catch (e) { return e.message; }", bad)
    assert reason in out


def test_polygon_raster_matches_the_server_rule(codecs):
    rng = random.Random(5)
    cases = []
    for _ in range(40):
        w, h = rng.randint(5, 40), rng.randint(5, 40)
        n = rng.randint(3, 8)
        points = [[round(rng.uniform(-3, w + 3), 2), round(rng.uniform(-3, h + 3), 2)] for _ in range(n)]
        cases.append([w, h, points])
    cases.append([10, 10, [[2, 2], [8, 2], [8, 8], [2, 8]]])  # pixel-aligned square: exactly 6x6
    cases.append([10, 10, [[2.5, 2.5], [7.5, 2.5], [7.5, 7.5], [2.5, 7.5]]])  # centres on edges: half-open
    out = codecs(
        "return args[0].map(([w, h, pts]) => { const m = new Uint8Array(w * h);"
        " raster.fillPolygon(m, w, h, pts, 1); return Array.from(m); });",
        cases,
    )
    for (w, h, points), got in zip(cases, out):
        assert got == fill_polygon(points, w, h), f"{w}x{h} {points}"
    assert sum(out[-2]) == 36
