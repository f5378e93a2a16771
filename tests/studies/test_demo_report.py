"""End to end: `ravine demo --quick` through the real entry point, then the report opened in
headless Chromium (Debian's package, driven by Playwright): every section and image renders,
the page logs no errors, and a screenshot goes to docs/report-screenshot.png for the README."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
SIGNATURE = ROOT / "docs" / "report-screenshot.json"  # what the committed screenshot shows
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_demo_quick_writes_the_report_and_says_where(demo):
    out, done = demo.out, demo.done
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert str((out / "index.html").resolve()) in done.stdout
    results = json.loads((out / "results.json").read_text())
    from ravine.studies import STUDIES

    sections = results["sections"]
    assert [s["id"] for s in sections] == list(STUDIES)
    assert all(s["status"] == "ok" for s in sections), [s.get("error") for s in sections]
    assert list((out / "tables").glob("*.csv")), "the raw tables are written as CSV"


def test_report_renders_in_headless_chromium(demo, tmp_path):
    out, done = demo.out, demo.done
    assert done.returncode == 0, done.stderr[-3000:]
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium. Run scripts/test.sh (it installs Debian's "
                    "chromium package with apt-get) or `apt-get install -y chromium`, then run the tests again.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing. Run scripts/test.sh (it installs the dev extra, "
                    "which includes playwright, and Debian's chromium), then run the tests again.")
    from ravine.studies import STUDIES

    problems: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto((out / "index.html").resolve().as_uri(), wait_until="load")
            ids = page.eval_on_selector_all("section[id]", "els => els.map(e => e.id)")
            assert ids == list(STUDIES)
            for section_id in ids:
                section = page.locator(f"section#{section_id}")
                assert section.locator("h2, h3").first.inner_text().strip(), section_id
                assert section.locator("img").count() >= 1, f"section {section_id} has no figure"
            images = page.locator("img")
            for i in range(images.count()):
                images.nth(i).scroll_into_view_if_needed()
            page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30000)
            broken = page.eval_on_selector_all("img", "els => els.filter(i => !(i.naturalWidth > 0)).length")
            assert broken == 0, f"{broken} images did not render"
            page.evaluate("window.scrollTo(0, 0)")
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=False)
        finally:
            context.close()
    assert problems == []
    assert shot.stat().st_size > 10_000
    _refresh_committed_screenshot(shot, out)


def _refresh_committed_screenshot(shot: Path, out: Path) -> None:
    """Copy the screenshot to docs/ when the report's structure (sections, their titles and
    figure counts) differs from the one the committed screenshot was taken of, so the README's
    picture follows the report without rewriting a binary file on every test run."""
    sections = json.loads((out / "results.json").read_text())["sections"]
    signature = [[s["id"], s["title"], len(s.get("figures", []))] for s in sections]
    saved = json.loads(SIGNATURE.read_text()) if SIGNATURE.exists() else None
    if saved != signature or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(shot.read_bytes())
        SIGNATURE.write_text(json.dumps(signature, indent=1, ensure_ascii=False) + "\n")
