"""Helper of scripts/api_fuzz.sh: the data a schemathesis run needs, and the verdict on its report.

    api_fuzz.py prepare URL TOKEN WORK   fixtures in WORK/import, projects, images and tokens through the
                                         API; writes WORK/state.json and WORK/schemathesis.toml
    api_fuzz.py verdict NDJSON JSON SPEC CRASHED SECONDS OUT
                                         cases and statuses per operation and the problems found;
                                         non-zero on a failed check (5xx included), an operation never
                                         answered with a 2xx, a schema-mismatch warning or a crash.
                                         Writes the summary line `N passed, M failed (...)` to OUT

Run with the venv's Python (verdict reads the spec with PyYAML, which schemathesis brings). Images are
made here, not read from assets/: tiny PNGs and a baseline JPEG, so uploads and imports cost nothing
and no trainer gets real work. api_fuzz_hooks.py imports the image writers from here.
"""

import json
import os
import struct
import sys
import time
import urllib.error
import urllib.request
import zlib


# --- images -------------------------------------------------------------------------------------------


def png(width, height, pixel=None, grey=False):
    """An 8-bit RGB (or greyscale) PNG; `pixel(x, y)` gives an (r, g, b) tuple or a grey value."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixel = pixel or (lambda x, y: (x * 50 % 256, y * 70 % 256, 128))
    rows = b"".join(
        b"\x00" + b"".join(bytes([pixel(x, y)]) if grey else bytes(pixel(x, y)) for x in range(width))
        for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0 if grey else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width, height):
    """A mid-grey baseline greyscale JPEG: each 8x8 block is DC 0 and no AC, one 1-bit code apiece."""

    def segment(marker, body):
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # a Huffman table with one 1-bit code, for symbol 0
    bits = "00" * (((width + 7) // 8) * ((height + 7) // 8))  # DC "no difference", AC "end of block"
    bits += "1" * (-len(bits) % 8)
    return (
        b"\xff\xd8" + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + one_code) + segment(0xC4, b"\x10" + one_code)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)) + b"\xff\xd9")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def fixtures(root):
    """Folders inside the import root that each import accepts: plain images, a COCO file, YOLO and
    label-map layouts. Small (4x3 to 8x6) so that the imports themselves are cheap."""
    write(f"{root}/photos/a.png", png(8, 6))
    write(f"{root}/photos/b.jpg", jpeg(8, 6))
    write(f"{root}/photos/notes.txt", "not an image\n")  # skipped: the folder import takes JPEG/PNG only
    write(f"{root}/coco/a.png", png(8, 6))
    write(f"{root}/coco/b.png", png(4, 3))
    write(f"{root}/coco/annotations.json", json.dumps({
        "images": [
            {"id": 1, "file_name": "a.png", "width": 8, "height": 6},
            {"id": 2, "file_name": "b.png", "width": 4, "height": 3},
            {"id": 3, "file_name": "../photos/a.png"},  # leaves the folder: listed in skipped
        ],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 1, 4, 3],
             "segmentation": [[1, 1, 5, 1, 5, 4, 1, 4]]},
            {"id": 2, "image_id": 2, "category_id": 8, "bbox": [0, 0, 2, 2],
             "segmentation": {"size": [3, 4], "counts": [0, 2, 1, 2, 7]}},
        ],
        "categories": [{"id": 7, "name": "thing"}, {"id": 8, "name": "other"}],
    }))
    write(f"{root}/yolo/images/a.png", png(8, 6))
    write(f"{root}/yolo/images/b.png", png(4, 3))
    write(f"{root}/yolo/labels/a.txt", "0 0.5 0.5 0.5 0.5\n1 0.1 0.1 0.6 0.1 0.6 0.7 0.1 0.7\n")
    write(f"{root}/yolo/labels/b.txt", "0 0.5 0.5 2.0 0.5\n")  # outside 0...1: listed in skipped
    write(f"{root}/yolo/classes.txt", "thing\nother\n")
    write(f"{root}/semantic/images/a.png", png(8, 6))
    write(f"{root}/semantic/images/b.png", png(4, 3))
    write(f"{root}/semantic/labels/a.png", png(8, 6, lambda x, y: 1 if x > 3 else 0, grey=True))
    write(f"{root}/semantic/labels/b.png", png(8, 6, lambda x, y: 0, grey=True))  # wrong size: skipped
    return {
        "folders": [f"{root}/photos", f"{root}/coco", f"{root}/yolo/images", f"{root}/semantic/images"],
        "coco": f"{root}/coco/annotations.json",
        "coco_images": f"{root}/coco",
        "yolo_images": f"{root}/yolo/images",
        "yolo_labels": f"{root}/yolo/labels",
        "semantic_images": f"{root}/semantic/images",
        "semantic_labels": f"{root}/semantic/labels",
    }


# --- the API ------------------------------------------------------------------------------------------


def call(url, token, method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"api_fuzz: set-up request {method} {path} failed: {error.code} {error.read()[:300]!r}")
    return json.loads(text) if text else None


def prepare(url, token, work):
    api = lambda method, path, body=None, raw=None: call(url, token, method, path, body, raw)
    files = fixtures(f"{work}/import")

    def project(name, task, classes):
        return api("POST", "/api/projects", {"name": name, "task": task, "classes": [{"name": c} for c in classes]})["id"]

    def upload(project_id, name, data):
        return api("POST", f"/api/projects/{project_id}/images?name={name}", raw=data)["id"]

    # Labelling projects: open, submit, the event stream and the model export start their trainers, so
    # each holds one image that may be labelled (a trainer starts training at two) and one that is not.
    # Their images are 4x3, the size the spec's annotation examples are drawn for.
    labelling = {}
    for task, classes in (("detection", ["thing", "other"]), ("instance", ["thing"]), ("semantic", ["background", "crack"])):
        pid = project(f"fuzz {task}", task, classes)
        labelling[task] = {"project": pid, "label": upload(pid, "label.png", png(4, 3)),
                           "spare": upload(pid, "spare.jpg", jpeg(4, 3))}
    # The detection project's model trains a few steps (two labelled images) so that its export exists,
    # then stops (one labelled image: a trainer waits for two).
    det = labelling["detection"]
    box = {"objects": [{"classIndex": 0, "box": {"x1": 0, "y1": 0, "x2": 3, "y2": 2}}]}
    for image in (det["label"], det["spare"]):
        api("PUT", f"/api/projects/{det['project']}/images/{image}/annotation", box)
    deadline = time.monotonic() + 300
    while (status := api("GET", f"/api/projects/{det['project']}/status")).get("step", 0) < 1:
        if status.get("state") == "stopped" or time.monotonic() > deadline:
            sys.exit(f"api_fuzz: the detection model did not train a step (weights in assets/? make setup): {status}")
        time.sleep(0.5)
    api("DELETE", f"/api/projects/{det['project']}/images/{det['spare']}/annotation")
    # Import targets: their imported labels never reach a trainer, because nothing here starts one.
    imports = {task: project(f"fuzz import {task}", task, ["thing"]) for task in ("detection", "instance", "semantic")}
    # Deleted by DELETE /api/projects/{project}; nothing else refers to them.
    throwaway = [project(f"fuzz throwaway {i}", "detection", ["thing"]) for i in range(12)]
    # Revoked by DELETE /api/tokens/{token}; the run's own admin token is never a candidate.
    me = next(t["id"] for t in api("GET", "/api/tokens")["tokens"])  # the first token: the run's own
    victims = [api("POST", "/api/tokens", {"name": f"fuzz victim {i}"})["id"] for i in range(12)]
    # Accounts to sign in as, to add to and remove from projects, and to set passwords of.
    api("POST", "/api/accounts", {"name": "fuzz signer", "password": "fuzz signer password"})
    members = [api("POST", "/api/accounts", {"name": f"fuzz member {i}", "password": f"fuzz password {i}"})
               for i in range(6)]
    for project_id in [v["project"] for v in labelling.values()] + list(imports.values()):
        for member in members:
            api("PUT", f"/api/projects/{project_id}/members", {"name": member["name"], "role": "annotator"})

    # Review: nobody reviews their own work (409), and every labelling project's annotations are the run's
    # own. So a project of its own holds one image labelled by another account, through that account's
    # token; nothing else labels there (the hooks send labelling elsewhere), and one labelled image starts
    # no training.
    review_project = project("fuzz review", "detection", ["thing"])
    review_image = upload(review_project, "reviewed.png", png(4, 3))
    annotator = api("POST", "/api/accounts", {"name": "fuzz annotator", "password": "fuzz annotator password"})
    api("PUT", f"/api/projects/{review_project}/members", {"name": annotator["name"], "role": "annotator"})
    annotator_token = api("POST", "/api/tokens", {"name": "fuzz annotator", "account": annotator["id"]})["token"]
    call(url, annotator_token, "PUT", f"/api/projects/{review_project}/images/{review_image}/annotation", box)
    review = {"project": review_project, "image": review_image}

    state = {"me": me, "labelling": labelling, "imports": imports, "throwaway": throwaway, "victims": victims,
             "files": files, "members": {m["name"]: m["id"] for m in members}, "review": review}
    write(f"{work}/state.json", json.dumps(state, indent=1))
    write(f"{work}/schemathesis.toml", config(state))
    return state


def config(state):
    """schemathesis.toml: which real ids and paths each operation draws from, and the checks' exceptions.

    A dictionary binding replaces a generated value by one of the listed ones with the given probability,
    so most cases reach real resources and the rest still probe unknown ids (404)."""
    lab, imp, files = state["labelling"], state["imports"], state["files"]
    labelling_projects = [v["project"] for v in lab.values()]
    labelled_images = [v["label"] for v in lab.values()]
    all_images = labelled_images + [v["spare"] for v in lab.values()]
    every_project = labelling_projects + list(imp.values())

    # Top-level keys first: in TOML, keys after a table header belong to that table.
    lines = [
        "continue-on-failure = true",
        "# Past the server's 1200 requests a minute per token, wait as Retry-After says and send again.",
        'rate-limit = "auto"',
        "max-stream-events = 2",
        "request-timeout = 60",
        "",
        "[warnings]",
        'fail-on = ["missing_test_data", "validation_mismatch", "missing_auth", "unsupported_regex",'
        ' "unresolvable_reference", "missing_deserializer", "dictionary_mismatch"]',
        "",
        "[generation]",
        'database = "none"',
        "# The server ignores query parameters it does not know (a request with one is not invalid).",
        "allow-extra-parameters = true",
        "",
        "# A body past the 5 MB limit is refused before it is read (413), invalid or not.",
        "[checks.negative_data_rejection]",
        'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]',
        "",
        "[output.truncation]",
        "max-payload-size = 2000",
        "",
        "# Only the spec's own links: inferred ones read an image's annotation as made with the image.",
        "[phases.stateful.inference]",
        "algorithms = []",
        "",
        "[cache]",
        "enabled = false",
        "",
        "[auth.openapi.bearer]",
        'bearer = "${API_FUZZ_TOKEN}"',
        "",
        "[auth.openapi.queryToken]",
        'api_key = "${API_FUZZ_TOKEN}"',
        "",
    ]

    def dictionary(name, values):
        lines.append(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")

    dictionary("labelling_projects", labelling_projects)
    dictionary("every_project", every_project)
    dictionary("labelled_images", labelled_images)
    dictionary("all_images", all_images)
    dictionary("folders", files["folders"])
    dictionary("coco_files", [files["coco"]])
    dictionary("coco_images", [files["coco_images"]])
    dictionary("yolo_images", [files["yolo_images"]])
    dictionary("yolo_labels", [files["yolo_labels"]])
    dictionary("semantic_images", [files["semantic_images"]])
    dictionary("semantic_labels", [files["semantic_labels"]])
    dictionary("detection_import", [imp["detection"], imp["instance"]])
    dictionary("semantic_import", [imp["semantic"]])

    def operation(method, path, parameters=None, **extra):
        lines.append("[[operations]]")
        # One filter naming the operation: separate include-method and include-path filters would
        # each select operations on their own.
        lines.append(f'include-name = "{method} {path}"')
        if parameters:
            lines.append("parameters = { " + ", ".join(f'"{k}" = {v}' for k, v in parameters.items()) + " }")
        for key, value in extra.items():
            lines.append(f"{key} = {value}")
        lines.append("")

    # schemathesis's default for positive_data_acceptance, plus what an operation may rightly answer.
    accepting = lambda *extra: json.dumps(["2xx", "3xx", "401", "403", "404", "409", "429", "5xx", *extra])
    bind = lambda name, p=0.8: f'{{ dictionary = "{name}", probability = {p} }}'
    project_ops = [
        ("GET", "/api/projects/{project}"), ("GET", "/api/projects/{project}/classes"),
        ("POST", "/api/projects/{project}/classes"), ("GET", "/api/projects/{project}/images"),
        ("POST", "/api/projects/{project}/images"), ("GET", "/api/projects/{project}/images/next"),
        ("GET", "/api/projects/{project}/status"), ("GET", "/api/projects/{project}/evaluations"),
        ("GET", "/api/projects/{project}/export/coco"), ("GET", "/api/projects/{project}/export/yolo"),
        ("GET", "/api/projects/{project}/export/voc"),
    ]
    for method, path in project_ops:
        operation(method, path, {"path.project": bind("every_project")})
    # These start a project's trainer: only the labelling projects, whose labels are kept to one image.
    for method, path in (("GET", "/api/projects/{project}/events"), ("GET", "/api/projects/{project}/export/model")):
        operation(method, path, {"path.project": bind("labelling_projects", 0.9)})
    image_ops = [
        ("GET", "/api/projects/{project}/images/{image}"), ("GET", "/api/projects/{project}/images/{image}/file"),
        ("POST", "/api/projects/{project}/images/{image}/open"),
        ("GET", "/api/projects/{project}/images/{image}/annotation"),
        ("DELETE", "/api/projects/{project}/images/{image}/annotation"),
        ("GET", "/api/projects/{project}/images/{image}/annotation/history"),
        ("POST", "/api/projects/{project}/images/{image}/skip"),
    ]
    for method, path in image_ops:
        operation(method, path, {"path.project": bind("labelling_projects", 0.9), "path.image": bind("all_images", 0.9)})
    # Submitting labels only the one image per project that may be labelled. Whether a body fits depends
    # on the image (its size) and the project (task, classes), which no schema states: 400 (a malformed
    # mask, If-Match against `version`) and 422 are right answers to schema-valid bodies here.
    operation("PUT", "/api/projects/{project}/images/{image}/annotation",
              {"path.project": bind("labelling_projects", 0.9), "path.image": bind("labelled_images", 0.9)},
              **{"checks.positive_data_acceptance.expected-statuses": accepting("400", "422")})
    # A review decision likewise: a return without a comment (422) depends on the decision, which the
    # schema does not tie to the comment. Mostly the image another account labelled (the run's own
    # labels are 409 to review).
    dictionary("review_projects", [state["review"]["project"]])
    dictionary("review_images", [state["review"]["image"]])
    operation("POST", "/api/projects/{project}/images/{image}/review",
              {"path.project": bind("review_projects", 0.8), "path.image": bind("review_images", 0.8)},
              **{"checks.positive_data_acceptance.expected-statuses": accepting("422")})
    # An upload is accepted only if its bytes are a JPEG or PNG (api_fuzz_hooks.py sends real ones too).
    operation("POST", "/api/projects/{project}/images",
              **{"checks.positive_data_acceptance.expected-statuses": accepting("413", "415", "422")})
    # The parameters of /simulation bound each other (manual time at least the review floor): 422.
    operation("GET", "/simulation", **{"checks.positive_data_acceptance.expected-statuses": accepting("422")})
    # Accounts and members: the accounts made for it, a right password now and then.
    dictionary("member_names", list(state["members"]))
    dictionary("member_accounts", list(state["members"].values()))
    dictionary("signer_name", ["fuzz signer"])
    dictionary("signer_password", ["fuzz signer password"])
    operation("POST", "/api/session", {"body.name": bind("signer_name", 0.9), "body.password": bind("signer_password", 0.7)})
    operation("GET", "/api/projects/{project}/members", {"path.project": bind("every_project")})
    # An unknown account name is a 422, which no schema states.
    operation("PUT", "/api/projects/{project}/members",
              {"path.project": bind("every_project"), "body.name": bind("member_names", 0.8)},
              **{"checks.positive_data_acceptance.expected-statuses": accepting("422")})
    operation("DELETE", "/api/projects/{project}/members/{account}",
              {"path.project": bind("every_project"), "path.account": bind("member_accounts", 0.9)})
    operation("PUT", "/api/accounts/{account}/password", {"path.account": bind("member_accounts", 0.9)})
    operation("POST", "/api/tokens", {"body.account": bind("member_accounts", 0.5)})
    # Deleting: only throwaway projects and tokens made for it.
    dictionary("throwaway_projects", state["throwaway"])
    dictionary("victim_tokens", state["victims"])
    operation("DELETE", "/api/projects/{project}", {"path.project": bind("throwaway_projects")})
    operation("DELETE", "/api/tokens/{token}", {"path.token": bind("victim_tokens")})
    # Imports read only real folders inside the import root (and whatever else is generated: 403, 422).
    operation("POST", "/api/projects/{project}/images/import/folder",
              {"path.project": bind("every_project"), "body.folder": bind("folders", 0.7)})
    operation("POST", "/api/projects/{project}/images/import/coco",
              {"path.project": bind("detection_import", 0.9), "body.annotations": bind("coco_files", 0.7),
               "body.images": bind("coco_images", 0.7)})
    # YOLO labels are for detection and instance projects, label maps for semantic ones: another
    # project's task is a 422 whatever the body.
    operation("POST", "/api/projects/{project}/images/import/yolo",
              {"path.project": bind("detection_import", 0.9), "body.images": bind("yolo_images", 0.7),
               "body.labels": bind("yolo_labels", 0.7)},
              **{"checks.positive_data_acceptance.expected-statuses": accepting("422")})
    operation("POST", "/api/projects/{project}/images/import/labelmaps",
              {"path.project": bind("semantic_import", 0.9), "body.images": bind("semantic_images", 0.7),
               "body.labels": bind("semantic_labels", 0.7)},
              **{"checks.positive_data_acceptance.expected-statuses": accepting("422")})
    return "\n".join(lines) + "\n"


# --- the verdict --------------------------------------------------------------------------------------


def spec_operations(path):
    import yaml  # in the venv: schemathesis needs it

    spec = yaml.safe_load(open(path))
    return [f"{method.upper()} {route}" for route, item in spec["paths"].items() for method in item
            if method in ("get", "put", "post", "delete")]


def verdict(ndjson, json_report, spec_path, crashed, elapsed):
    """Prints cases and response statuses per operation and every problem; returns (problems, last line)."""
    operations = spec_operations(spec_path)
    stats = {label: {"cases": 0, "statuses": {}, "failed": set()} for label in operations}
    other = "(undeclared methods)"
    for line in open(ndjson):
        event = json.loads(line)
        if "ScenarioFinished" not in event:
            continue
        recorder = event["ScenarioFinished"]["recorder"]
        interactions = recorder.get("interactions", {})
        checks = recorder.get("checks", {})
        # By the operation each case was sent to: a stateful scenario spans several.
        for case_id, case in recorder.get("cases", {}).items():
            label = f"{case['value']['method'].upper()} {case['value']['path']}"
            entry = stats.setdefault(label if label in stats else other, {"cases": 0, "statuses": {}, "failed": set()})
            entry["cases"] += 1
            interaction = interactions.get(case_id)
            if interaction is not None:
                response = interaction.get("response")
                code = str(response["status_code"]) if response else "none"
                entry["statuses"][code] = entry["statuses"].get(code, 0) + 1
            entry["failed"].update(check["name"] for check in checks.get(case_id, []) if check["status"] == "failure")
    summary = json.load(open(json_report))

    problems = []
    width = max(len(label) for label in stats)
    print(f"\n{'operation'.ljust(width)}  cases  responses by status")
    for label, entry in stats.items():
        statuses = entry["statuses"]
        print(f"{label.ljust(width)}  {entry['cases']:5d}  " + " ".join(f"{c}:{n}" for c, n in sorted(statuses.items())))
        if label != other and not any(code.startswith("2") for code in statuses):
            problems.append(f"{label}: never answered with a 2xx (not reached)")
        errors = {code: n for code, n in statuses.items() if code.startswith("5") or code == "none"}
        if errors:
            problems.append(f"{label}: server errors or no response {errors}")
        if entry["failed"]:
            problems.append(f"{label}: failed checks {sorted(entry['failed'])}")
    for kind, labels in sorted(summary.get("warnings", {}).items()):
        if kind in ("missing_test_data", "validation_mismatch", "missing_auth", "rate_limited", "unsupported_regex",
                    "unresolvable_reference", "missing_deserializer", "dictionary_mismatch", "unmatched_filter"):
            problems += [f"warning {kind}: {label}" for label in labels]
    for error in summary.get("errors", []):
        problems.append(f"schemathesis error: {error.get('title')} ({error.get('count')})")
    if crashed:
        unreached = [p for p in problems if p.endswith("(not reached)")]
        problems = [p for p in problems if not p.endswith("(not reached)")]
        problems.append(f"the server crashed during the run; {len(unreached)} operations never answered with a 2xx")
    for problem in problems:
        print(f"api_fuzz: {problem}")
    bad = {label for label, entry in stats.items()
           if entry["failed"] or (label != other and not any(c.startswith("2") for c in entry["statuses"]))
           or any(c.startswith("5") or c == "none" for c in entry["statuses"])}
    cases = sum(entry["cases"] for entry in stats.values())
    last = (f"api_fuzz: {len(stats) - len(bad)} passed, {len(bad)} failed ({len(stats)} operations, {cases} cases, "
            f"{len(problems)} problems, {elapsed} s)")
    return problems, last


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "prepare" and len(sys.argv) == 5:
        state = prepare(*sys.argv[2:5])
        print(f"api_fuzz: projects {state['labelling']} imports {state['imports']}")
    elif command == "verdict" and len(sys.argv) == 8:
        ndjson, json_report, spec_path, crashed, elapsed, last_line = sys.argv[2:8]
        problems, last = verdict(ndjson, json_report, spec_path, crashed == "1", elapsed)
        write(last_line, last + "\n")
        sys.exit(1 if problems else 0)
    else:
        sys.exit(__doc__)
