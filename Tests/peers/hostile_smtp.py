"""A hostile SMTP server for the client's tests, on a raw socket (no SMTP library would misbehave
on purpose). One connection, then it exits.

    hostile_smtp.py --received DIR --attack starttls-injection

starttls-injection: offers STARTTLS, then answers it with "220" followed, in the same packet, by
replies to every later command (what someone on the path could inject before the TLS handshake),
and records in DIR/1.json what the client sent afterwards.
Prints "ready PORT" once listening.
"""
import argparse
import json
import os
import socket


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--received", required=True)
    parser.add_argument("--attack", choices=["starttls-injection"], required=True)
    args = parser.parse_args()
    os.makedirs(args.received, exist_ok=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print(f"ready {listener.getsockname()[1]}", flush=True)
    connection, _ = listener.accept()
    connection.settimeout(10)
    reader = connection.makefile("rb")
    connection.sendall(b"220 hostile ESMTP\r\n")
    reader.readline()  # EHLO
    connection.sendall(b"250-hostile\r\n250 STARTTLS\r\n")
    reader.readline()  # STARTTLS
    connection.sendall(b"220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n235 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n221 bye\r\n")
    after = b""
    try:
        while len(after) < 65536:
            chunk = connection.recv(4096)
            if not chunk:
                break
            after += chunk
    except OSError:
        pass
    path = os.path.join(args.received, "1.json")
    with open(path + ".tmp", "w") as f:  # renamed when complete: a reader never sees half of it
        json.dump({"after_starttls": after.decode("latin-1"), "plaintext_commands": [
            line for line in after.decode("latin-1").split("\r\n") if line[:4].upper() in ("MAIL", "RCPT", "DATA", "AUTH", "EHLO")]}, f)
    os.replace(path + ".tmp", path)
    connection.close()


if __name__ == "__main__":
    main()
