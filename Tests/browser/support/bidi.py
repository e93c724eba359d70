"""Firefox driven over WebDriver BiDi, which Firefox serves itself (`--remote-debugging-port`):
Debian packages firefox-esr but no geckodriver, so this speaks the protocol over a minimal websocket
client from the standard library. Enough for a smoke test: navigate, evaluate, pointer and key input,
screenshots.
"""

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time


class WebSocket:
    """Text frames only, client side (masked), as RFC 6455 requires."""

    def __init__(self, host, port, path):
        self.sock = socket.create_connection((host, port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head!r}")

    def send(self, text):
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        out = bytearray()
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("websocket closed")
            out += chunk
        return bytes(out)

    def receive(self):
        message = bytearray()
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:  # ping: answer, keep reading
                continue
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Firefox:
    """A headless Firefox with one tab, commanded over BiDi."""

    def __init__(self, binary=None, width=1600, height=900):
        binary = binary or shutil.which("firefox-esr") or shutil.which("firefox")
        if not binary:
            raise FileNotFoundError("firefox-esr")
        self.profile = tempfile.mkdtemp(prefix="livetrain-firefox-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-remote", "--profile", self.profile, f"--remote-debugging-port={port}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while True:
            try:
                self.ws = WebSocket("127.0.0.1", port, "/session")
                break
            except OSError:
                if time.time() > deadline:
                    self.close()
                    raise
                time.sleep(0.3)
        self.next_id = 0
        self.command("session.new", {"capabilities": {}})
        self.context = self.command("browsingContext.getTree", {})["contexts"][0]["context"]
        self.command("browsingContext.setViewport", {"context": self.context, "viewport": {"width": width, "height": height}})

    def command(self, method, params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.receive())
            if reply.get("id") != self.next_id:
                continue  # an event
            if reply.get("type") == "error":
                raise RuntimeError(f"{method}: {reply.get('error')}: {reply.get('message')}")
            return reply["result"]

    def navigate(self, url):
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression):
        """Evaluates JS (awaiting a promise) and returns the value, passed through JSON.stringify."""
        result = self.command("script.evaluate", {
            "expression": f"(async () => JSON.stringify(await (async () => {{ {expression} }})()))()",
            "target": {"context": self.context}, "awaitPromise": True})
        if result.get("type") == "exception":
            raise RuntimeError(result["exceptionDetails"].get("text"))
        value = result["result"].get("value")
        return json.loads(value) if isinstance(value, str) else None

    def drag(self, points, shift=False):
        """Pointer press at points[0], moves through the rest, release (viewport CSS pixels)."""
        pointer = [{"type": "pointerMove", "x": round(points[0][0]), "y": round(points[0][1])}, {"type": "pointerDown", "button": 0}]
        pointer += [{"type": "pointerMove", "x": round(x), "y": round(y), "duration": 0} for x, y in points[1:]]
        pointer += [{"type": "pointerUp", "button": 0}]
        keys = []
        if shift:  # Shift held through the drag: key and pointer sequences advance tick by tick
            keys = [{"type": "keyDown", "value": "\ue008"}] + [{"type": "pause", "duration": 0}] * len(pointer) + [{"type": "keyUp", "value": "\ue008"}]
            pointer = [{"type": "pause", "duration": 0}] + pointer + [{"type": "pause", "duration": 0}]
        actions = [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": pointer}]
        if keys:
            actions.append({"type": "key", "id": "keyboard", "actions": keys})
        self.command("input.performActions", {"context": self.context, "actions": actions})

    def press(self, key):
        self.command("input.performActions", {"context": self.context, "actions": [
            {"type": "key", "id": "keyboard", "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]})

    def screenshot(self, path):
        data = self.command("browsingContext.captureScreenshot", {"context": self.context})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.process.terminate()
            self.process.wait(timeout=20)
        except Exception:  # noqa: BLE001 - a browser that will not stop is killed
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
