"""A local HTTP receiver for the SMS gateway tests, in either style the help center speaks.

    sms_receiver.py --style twilio|webhook --secret SECRET --received DIR
                    [--account AC123] [--reply 201|429|500|400|307|hang|drip]

twilio:  POST /2010-04-01/Accounts/{account}/Messages.json, a form with To, From, Body; HTTP Basic
         authentication with the account id and SECRET (the auth token) is checked.
webhook: POST /sms with JSON {id, to, text}; X-HelpCenter-Signature "v1=" + hex HMAC-SHA256(SECRET,
         X-HelpCenter-Timestamp + "." + body) is recomputed here and compared in constant time, and
         the timestamp must be within 5 minutes of this machine's clock.

Each request is written to DIR as N.json (path, headers, the decoded fields, whether auth and the
signature held). The answer is --reply (201 with a JSON body by default; "hang" never answers; "drip"
sends a 201's head at once and its body one byte every half second; "307" redirects to /elsewhere on
this receiver, which records a request that follows it).
Prints "ready PORT" once listening.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--style", choices=["twilio", "webhook"], required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--account", default="AC0123456789abcdef")
    parser.add_argument("--received", required=True)
    parser.add_argument("--reply", default="201")
    args = parser.parse_args()
    os.makedirs(args.received, exist_ok=True)
    lock = threading.Lock()
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
            if args.style == "twilio":
                expected = "Basic " + base64.b64encode(f"{args.account}:{args.secret}".encode()).decode()
                record["auth_ok"] = hmac.compare_digest(self.headers.get("Authorization", ""), expected)
                record["path_ok"] = self.path == f"/2010-04-01/Accounts/{args.account}/Messages.json"
                record["fields"] = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True, strict_parsing=True).items()}
            else:
                timestamp = self.headers.get("X-HelpCenter-Timestamp", "")
                expected = "v1=" + hmac.new(args.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                record["signature_ok"] = hmac.compare_digest(self.headers.get("X-HelpCenter-Signature", ""), expected)
                record["timestamp_ok"] = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= 300
                record["fields"] = json.loads(body)
            with lock:
                count[0] += 1
                path = os.path.join(args.received, f"{count[0]}.json")
            with open(path + ".tmp", "w") as f:
                json.dump(record, f, ensure_ascii=False)
            os.replace(path + ".tmp", path)
            if args.reply == "hang":
                time.sleep(3600)
                return
            if args.reply == "drip":
                answer = json.dumps({"sid": "SM" + "0" * 32, "status": "queued"}).encode()
                self.send_response(201)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                for byte in answer:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
                return
            if args.reply == "307" and self.path != "/elsewhere":
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = int(args.reply)
            answer = json.dumps({"sid": "SM" + "0" * 32, "status": "queued"} if status < 300 else {"message": "refused", "code": status}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
