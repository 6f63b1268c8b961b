"""Import a Goodreads CSV with preview and a progress bar; the library shows it."""

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import sign_up

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "goodreads_library_export.csv"


def test_goodreads_import_with_preview_progress_and_report(new_page):
    page = new_page()
    sign_up(page, "Gil Reader")
    page.goto("/import")
    page.locator("#import-csv input[type=file]").set_input_files(str(FIXTURE))
    expect(page.locator("#import-file")).to_have_text("goodreads_library_export.csv")
    page.click("#import-preview")
    expect(page.locator("#preview-total")).to_have_text("10")
    expect(page.locator("#preview-new")).to_have_text("7")
    expect(page.locator("#preview-invalid")).to_have_text("3")
    expect(page.locator("#import-errors")).to_contain_text("The title is missing.")
    page.click("#import-run")
    expect(page.locator("#import-status")).to_have_text(
        "10 of 10 rows · 7 added · 0 already in your library · 3 not imported"
    )
    expect(page.locator("#import-progress")).to_be_visible()

    page.goto("/library")
    expect(page.locator("#library-range")).to_have_text("1–6 of 7 books")
    expect(page.locator("#tab-did-not-finish")).to_contain_text("1")
    page.fill("#library-search", "dune")
    expect(page.get_by_role("link", name="Dune", exact=True)).to_contain_text("Finished")

    with page.expect_download() as download:
        page.goto("/import")
        page.click("#export-csv")
    text = Path(download.value.path()).read_text()
    assert text.startswith("Book Id,Title,Author") and "Dune (Dune, #1)" in text


def test_not_an_export_is_explained(new_page, tmp_path):
    bad = tmp_path / "contacts.csv"
    bad.write_text("name,email\nx,y\n")
    page = new_page()
    sign_up(page, "Hal Reader")
    page.goto("/import")
    page.locator("#import-csv input[type=file]").set_input_files(str(bad))
    page.click("#import-preview")
    expect(page.locator("#import-error")).to_contain_text("not a Goodreads or StoryGraph export")
