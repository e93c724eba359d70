"""The livetrain REST API over urllib (no dependencies beyond the standard library)."""

import json
import urllib.error
import urllib.request


class ApiError(Exception):
    def __init__(self, status, reason):
        super().__init__(f"{status}: {reason}")
        self.status, self.reason = status, reason


class Api:
    def __init__(self, url, token):
        self.url, self.token = url, token

    def call(self, method, path, body=None, raw=None, token=None):
        headers = {"Authorization": f"Bearer {token or self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            data = raw
            headers["Content-Type"] = "application/octet-stream"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            try:
                reason = json.loads(e.read()).get("error", e.reason)
            except ValueError:
                reason = e.reason
            raise ApiError(e.code, reason) from None

    def projects(self):
        return self.call("GET", "/api/projects")["projects"]

    def project(self, p):
        return self.call("GET", f"/api/projects/{p}")

    def create_project(self, name, task, classes):
        return self.call("POST", "/api/projects", {"name": name, "task": task, "classes": classes})

    def upload(self, p, png, name):
        return self.call("POST", f"/api/projects/{p}/images?name={name}", raw=png)

    def images(self, p, status=None):
        q = f"?status={status}&limit=1000" if status else "?limit=1000"
        return self.call("GET", f"/api/projects/{p}/images{q}")["items"]

    def image(self, p, i):
        return self.call("GET", f"/api/projects/{p}/images/{i}")

    def annotation(self, p, i):
        return self.call("GET", f"/api/projects/{p}/images/{i}/annotation")

    def status(self, p):
        return self.call("GET", f"/api/projects/{p}/status")

    def evaluations(self, p):
        return self.call("GET", f"/api/projects/{p}/evaluations")["evaluations"]

    def create_account(self, name, password, admin=False):
        return self.call("POST", "/api/accounts", {"name": name, "password": password, "admin": admin})

    def create_token(self, name, account=None):
        """A token of `account` (an id), or of the caller's own account."""
        return self.call("POST", "/api/tokens", {"name": name, "account": account})

    def add_member(self, p, name, role):
        return self.call("PUT", f"/api/projects/{p}/members", {"name": name, "role": role})

    def revoke_token(self, token_id):
        return self.call("DELETE", f"/api/tokens/{token_id}")
