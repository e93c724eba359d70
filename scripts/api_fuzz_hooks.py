"""schemathesis hooks of scripts/api_fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

- Half the positive uploads send a real PNG or JPEG of a random small size, so that uploads are
  accepted as well as refused (a generated binary string is never an image).
- No request may revoke a token the run relies on or delete a project it needs: such a request is
  pointed at a throwaway one. The config already binds these parameters; this also covers the
  stateful phase, which takes ids from responses, and the coverage phase, which takes boundary values.
- An import of YOLO labels or label maps into a known project of the wrong task (a 422 whatever the
  body) is sent to the import project of the right task instead.
- No trainer gets work: the four operations that start a project's model (open, submit, the event
  stream, the model export) reach only the three labelling projects, and a submit labels only the one
  image of each that may be labelled. A real id elsewhere is redirected there; unknown ids (404) and
  invalid ones (400) pass unchanged.
"""

import json
import os
import random
import sys

import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_fuzz  # noqa: E402  (the image writers)

STATE = json.load(open(os.environ["API_FUZZ_STATE"]))
LABELLING = {str(v["project"]): v for v in STATE["labelling"].values()}
DETECTION = STATE["labelling"]["detection"]
PROTECTED_TOKENS = {str(STATE["me"])}
PROTECTED_PROJECTS = set(LABELLING) | {str(v) for v in STATE["imports"].values()} | {str(STATE["review"]["project"])}
LABEL_IMAGES = {str(v["label"]) for v in STATE["labelling"].values()}
# Ids below this may belong to something the run (or its stateful phase) created; above, none do.
MAY_EXIST = 1_000_000
STARTS_MODEL = {
    ("POST", "/api/projects/{project}/images/{image}/open"),
    ("PUT", "/api/projects/{project}/images/{image}/annotation"),
    ("GET", "/api/projects/{project}/events"),
    ("GET", "/api/projects/{project}/export/model"),
}
IMPORT_TASKS = {
    ("POST", "/api/projects/{project}/images/import/yolo"): ("detection", "instance"),
    ("POST", "/api/projects/{project}/images/import/labelmaps"): ("semantic",),
}
TASKS = {str(v["project"]): task for task, v in STATE["labelling"].items()}
TASKS.update({str(v): task for task, v in STATE["imports"].items()})
TASKS.update({str(v): "detection" for v in STATE["throwaway"]})
TASKS[str(STATE["review"]["project"])] = "detection"
_random = random.Random(int(os.environ.get("API_FUZZ_SEED", "0")))
# Handed out from the end, while the config's dictionaries draw from the whole list.
_throwaway = iter(reversed(STATE["throwaway"]))
_victims = iter(reversed(STATE["victims"]))


def _is_positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and str(meta.generation.mode.value) == "positive"


def _existing_id(value):
    """The id when `value` is a valid id that may name something real, else None."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 1 <= number < MAY_EXIST and str(number) == str(value) else None


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = case.operation
    key = (operation.method.upper(), operation.path)
    path = case.path_parameters if case.path_parameters is not None else {}
    if key == ("POST", "/api/projects/{project}/images") and _is_positive(case) and _random.random() < 0.5:
        width, height = _random.randint(1, 12), _random.randint(1, 12)
        # Sent in place of the generated body without touching the case: an edited binary body would be
        # re-validated as not matching the schema, making the case count as negative.
        kwargs["data"] = api_fuzz.png(width, height) if _random.random() < 0.5 else api_fuzz.jpeg(width, height)
    elif key == ("DELETE", "/api/tokens/{token}"):
        if str(path.get("token")) in PROTECTED_TOKENS:
            path["token"] = next(_victims, STATE["victims"][-1])
    elif key == ("DELETE", "/api/projects/{project}"):
        if str(path.get("project")) in PROTECTED_PROJECTS:
            path["project"] = next(_throwaway, STATE["throwaway"][-1])
    elif key in IMPORT_TASKS:
        # A known project of another task is a 422 whatever the body: take the import project instead.
        project = _existing_id(path.get("project"))
        if project is not None and TASKS.get(str(project), IMPORT_TASKS[key][0]) not in IMPORT_TASKS[key]:
            path["project"] = STATE["imports"][IMPORT_TASKS[key][0]]
    elif key in STARTS_MODEL:
        project = _existing_id(path.get("project"))
        if project is not None and str(project) not in LABELLING:
            path["project"] = DETECTION["project"]
        image = _existing_id(path.get("image"))
        if key[0] == "PUT" and image is not None and str(image) not in LABEL_IMAGES:
            target = LABELLING.get(str(path.get("project")), DETECTION)
            path["image"] = target["label"]
