#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into Fuzz/corpus/<harness>/ (run from the repository).

Seeds are drawn, deterministically, from the sample Content/ and from the two real help centers of
../shared/corpora that the repository already carries with their licenses (Tests/Fixtures/corpora:
Arduino Help Center, CC BY-SA 4.0; Magento Support Knowledge Base, OSL-3.0), small files only, plus
hand-written form bodies and queries. Run again only to change the seeds; the result is committed.
"""
import hashlib, os, pathlib, shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Fuzz" / "corpus"
SHARED = ROOT.parent / "shared" / "corpora"
if not SHARED.is_dir():
    SHARED = ROOT / "Tests" / "Fixtures" / "corpora"
MAX = 4 * 1024  # bytes per seed: libFuzzer's max_len follows the largest seed


def files(folder, limit, pattern="*.md"):
    found = sorted(p for p in folder.rglob(pattern) if p.is_file() and 200 < p.stat().st_size <= MAX)
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def write(harness, name, data):
    folder = OUT / harness
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def label(path):
    return path.name if path.is_relative_to(ROOT / "Content") else path.relative_to(SHARED).parts[0].split("-")[0] + "-" + path.name


shutil.rmtree(OUT, ignore_errors=True)
sample = files(ROOT / "Content", 30)
magento = files(SHARED / "magento-support-kb", 20)
arduino = files(SHARED / "arduino-help-center", 12)

for path in sample[:20] + magento[:8] + arduino[:8]:
    write("FuzzFrontMatter", label(path), path.read_bytes()[:2048])
for path in sample + magento[:10] + arduino:
    write("FuzzMarkdown", label(path), path.read_bytes())
for path in sample[:15] + arduino[:4]:
    write("FuzzLinks", label(path), path.read_bytes())
for path in magento + sample[:4]:
    write("FuzzImport", label(path), path.read_bytes())

# Search: the first byte picks the options (category, limit, sub-results), the rest is the query.
queries = ["reset password", "refund", "refnd timline", "can", "order_1001", "order_", "2FA", "sign-in",
           "15-minute code", "application/json", "résumé", "resume", "支払い", "결제", "Zahlung Rückgabe",
           "naïve cafe", "how do I reset my password?", "track an order", "tracking number carrier",
           "\"exact phrase\"", "-minus +plus", "a b c d e f g h", "café ☕ 🙂", "order protection",
           "cancellation webhooks", "Step 1: Open the page", "zzzzzz", "passwrd", "pass", "ÜBERWEISUNG"]
for number, query in enumerate(queries):
    write("FuzzSearch", f"query-{number:02}", bytes([number * 37 % 256]) + query.encode())

forms = ["email=buyer%40example.com&csrf=abc123", "code=123456&csrf=x", "password=S3cret+phrase%21&confirm=S3cret+phrase%21&csrf=t",
         "q=refund+timeline&limit=5&category=order-payment", "q=%E6%94%AF%E6%89%95%E3%81%84&_=1700000000", "q=a&q=b",
         "email[]=a%40b.com&email[]=c%40d.com", "q=%ZZ", "q=%C3%28", "=&&=x&q", "limit=-1&category=", "q=" + "a" * 1100,
         "csrf=%00%0d%0a", "q=caf%C3%A9+%F0%9F%99%82"]
for number, form in enumerate(forms):
    write("FuzzForm", f"form-{number:02}", form)

# Server configuration files: the README's example and smaller ones.
configs = ["server: { host: 0.0.0.0, port: 8080 }\n",
           "email:\n  transport: smtp\n  from: \"Help <help@example.com>\"\n  smtp:\n    host: smtp.example.com\n    port: 587\n"
           "    security: starttls\n    username: help@example.com\n    password: s3cret\n    ca_file: /etc/ssl/certs/ca-certificates.crt\n"
           "    connect_timeout: 10\n    command_timeout: 30\n  sendmail: { path: /usr/sbin/sendmail, timeout: 30 }\n",
           "sms:\n  transport: twilio\n  account_sid: AC42\n  from: \"+15550100000\"\n  auth_token: t\n  timeout: 10\n",
           "sms: { transport: webhook, url: https://sms.example.com/send, secret: s }\n",
           "directory:\n  backend: http\n  url: https://marketplace.example/api\n  auth: bearer\n  token: t\n  timeout: 5\n",
           "email:\n  transport: [smtp]\n  from: \"a <b@c.example\"\nserver:\n  port: 58.7\n  prot: 1\n"]
for number, config in enumerate(configs):
    write("FuzzServerConfig", f"config-{number:02}.yml", config)

total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
for harness in sorted(os.listdir(OUT)):
    print(harness, len(os.listdir(OUT / harness)), "files")
print("total", total, "bytes")
