"""The reference implementation of the marketplace's side of the account directory API
(docs/account-directory.openapi.yaml): a small HTTP server over an in-memory account list.

    marketplace.py --accounts FILE.json --secret SECRET [--auth hmac|bearer] [--port 0] [--prefix /api]

The API's paths are under --prefix (the base URL's path, empty by default).

FILE.json: [{"id", "email", "phone" or null, "name", "questions": [two] or [], "answers": [two] or [],
"password"}]. Passwords are kept as PBKDF2-SHA256 hashes; every account starts with two sessions.

Every API request must be signed (hmac: X-HelpCenter-Timestamp within 5 minutes, X-HelpCenter-Nonce
accepted once, X-HelpCenter-Signature "v1=" + hex HMAC-SHA256(SECRET, timestamp + "." + nonce + "." +
METHOD + " " + path-and-query + "." + body)) or carry "Authorization: Bearer SECRET"; otherwise 401.

For tests only (no authentication, loopback only): GET /_test/state gives what happened (requests
by route, password changes, sessions per account); POST /_test/check-password {"id", "password"}
answers {"match": bool}; POST /_test/delete-account {"id"} removes an account. Prints "ready PORT" once listening.
"""
import argparse
import hashlib
import hmac
import json
import os
import threading
import time
import unicodedata
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def hash_password(password, salt=None):
    salt = salt or os.urandom(16)
    return salt, hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 100_000)


def normalized_answer(text):
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--auth", choices=["hmac", "bearer"], default="hmac")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    with open(args.accounts) as f:
        accounts = {a["id"]: dict(a) for a in json.load(f)}
    for account in accounts.values():
        account["password_hash"] = hash_password(account.pop("password"))
        account["sessions"] = 2
    lock = threading.Lock()
    state = {"requests": [], "password_changes": {}, "refused": 0}
    seen_nonces = set()

    def public(account):
        return {"id": account["id"], "email": account["email"], "phone": account.get("phone"),
                "name": account["name"], "questions": account.get("questions", [])}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, body=None):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def authorized(self, body):
            if args.auth == "bearer":
                return hmac.compare_digest(self.headers.get("Authorization", ""), "Bearer " + args.secret)
            timestamp = self.headers.get("X-HelpCenter-Timestamp", "")
            nonce = self.headers.get("X-HelpCenter-Nonce", "")
            signature = self.headers.get("X-HelpCenter-Signature", "")
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300 or not nonce:
                return False
            message = f"{timestamp}.{nonce}.{self.command} {self.path}.".encode() + body
            expected = "v1=" + hmac.new(args.secret.encode(), message, hashlib.sha256).hexdigest()
            with lock:
                if not hmac.compare_digest(signature, expected) or nonce in seen_nonces:
                    return False
                seen_nonces.add(nonce)
            return True

        def handle_any(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            url = urllib.parse.urlsplit(self.path)
            parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
            if parts[:1] == ["_test"]:
                return self.test_route(parts, body)
            prefix = [p for p in args.prefix.split("/") if p]
            if parts[:len(prefix)] != prefix:
                return self.answer(404, {"error": "no such route"})
            parts = parts[len(prefix):]
            if not self.authorized(body):
                with lock:
                    state["refused"] += 1
                return self.answer(401, {"error": "not signed or not authorized"})
            route = f"{self.command} /" + "/".join(["accounts", "{id}"] + parts[2:] if len(parts) > 1 else parts)
            with lock:
                state["requests"].append(route)
            if self.command == "GET" and parts == ["accounts"]:
                email = urllib.parse.parse_qs(url.query).get("email", [""])[0]
                found = [a for a in accounts.values() if a["email"].lower() == email.lower()]
                return self.answer(200, public(found[0])) if found else self.answer(404, {"error": "no such account"})
            account = accounts.get(parts[1]) if len(parts) > 1 and parts[0] == "accounts" else None
            if account is None:
                return self.answer(404, {"error": "no such account"})
            rest = parts[2:]
            if self.command == "GET" and rest == []:
                return self.answer(200, public(account))
            if self.command == "POST" and rest == ["answers", "verify"]:
                given = json.loads(body).get("answers", [])
                stored = account.get("answers", [])
                match = len(stored) == 2 and len(given) == 2 and all(
                    hmac.compare_digest(normalized_answer(g).encode(), normalized_answer(s).encode()) for g, s in zip(given, stored))
                return self.answer(200, {"match": match})
            if self.command == "PUT" and rest == ["password"]:
                password = json.loads(body).get("password", "")
                with lock:
                    account["password_hash"] = hash_password(password)
                    state["password_changes"][account["id"]] = state["password_changes"].get(account["id"], 0) + 1
                return self.answer(204)
            if self.command == "DELETE" and rest == ["sessions"]:
                with lock:
                    account["sessions"] = 0
                return self.answer(204)
            return self.answer(404, {"error": "no such route"})

        def test_route(self, parts, body):
            if self.command == "GET" and parts == ["_test", "state"]:
                with lock:
                    return self.answer(200, dict(state, sessions={i: a["sessions"] for i, a in accounts.items()}))
            if self.command == "POST" and parts == ["_test", "check-password"]:
                request = json.loads(body)
                account = accounts.get(request.get("id"))
                if account is None:
                    return self.answer(404, {"error": "no such account"})
                salt, stored = account["password_hash"]
                return self.answer(200, {"match": hmac.compare_digest(hash_password(request.get("password", ""), salt)[1], stored)})
            if self.command == "POST" and parts == ["_test", "delete-account"]:
                with lock:
                    accounts.pop(json.loads(body).get("id"), None)
                return self.answer(204)
            return self.answer(404, {"error": "no such route"})

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
