//! "Mange på én gang" in a real browser (headless chromium over WebDriver, as tests/browser.rs):
//! the page reached from the form, the export chosen through the file input, the check table
//! read, the batch made and its ZIP downloaded and opened, a bad row named by row and column,
//! cancel, and axe-core's WCAG 2.1 AA rules on every state of the page. Skipped with a message
//! where chromium, chromedriver or axe-core (`npm ci` in tests/browser) are missing; in CI they
//! must be there.

#![cfg(feature = "serve")]

#[path = "util/browser.rs"]
mod browser;
mod util;

use std::io::Read;
use std::path::{Path, PathBuf};

use browser::{Browser, Server, start_without_clinic};
use serde_json::json;
use util::Dir;

/// The date the page's field is set to, and `pjece batch` is given (`util::batch`).
const DATE: &str = "2026-11-26";

/// A fresh server (no clinic) with its batch page opened in a fresh browser the way a user
/// does: the form, then its link. `None` (the test is skipped) where the browser tools are
/// missing.
async fn open_batch_page() -> Option<(Server, Browser)> {
    let (server, b) = start_without_clinic().await?;
    b.goto(&server.url("/")).await;
    let link = b.find("a[href='/batch']").await;
    assert_eq!(link.text().await.unwrap(), "Mange på én gang");
    link.click().await.unwrap();
    b.wait_until(
        "the batch page",
        "return location.pathname === '/batch' && !!document.getElementById('file')",
    )
    .await;
    Some((server, b))
}

/// Writes `csv` as the export file eksport.csv in the server's folder; returns its path.
fn export(server: &Server, csv: &str) -> PathBuf {
    let file = server.home.path().join("eksport.csv");
    std::fs::write(&file, csv).unwrap();
    file
}

/// Chooses `file` through the file input, the date, and presses "Tjek filen".
async fn check(b: &Browser, file: &Path, combined: bool) {
    b.choose_file("#file", file).await;
    b.client
        .execute(
            "document.getElementById('date').value = arguments[0]; return true",
            vec![json!(DATE)],
        )
        .await
        .unwrap();
    if combined {
        b.tab_to("combined").await;
        b.space().await;
    }
    b.click("#batch-form button[type=submit]").await;
}

/// Waits until the page has loaded in full and `condition` (a script expression) holds.
async fn wait_for_page(b: &Browser, what: &str, condition: &str) {
    let script = format!("return document.readyState === 'complete' && ({condition})");
    b.wait_until(what, &script).await;
}

/// Waits for the batch page to show `state`.
async fn wait_for_state(b: &Browser, state: &str) {
    let progress = "document.getElementById('batch-progress')";
    wait_for_page(
        b,
        &format!("the batch to be {state}"),
        &format!("!!{progress} && {progress}.dataset.state === '{state}'"),
    )
    .await;
}

/// The problem table's rows, each as its cells' text.
async fn table_rows(b: &Browser) -> serde_json::Value {
    b.run(
        "return [...document.querySelectorAll('#batch-failures tr')]\
           .map(tr => [...tr.cells].map(td => td.textContent))",
    )
    .await
}

/// The example export, end to end: chosen, checked, made, downloaded; the ZIP holds every
/// handout byte for byte as `pjece batch` makes it, the print file and the summary.
#[tokio::test(flavor = "multi_thread")]
async fn the_example_export_is_checked_made_and_downloaded_as_one_zip() {
    let Some((_server, b)) = open_batch_page().await else {
        return;
    };
    let hint = b.text_of("#file-hint").await;
    assert!(hint.contains("Højst 8 MB og 5.000 rækker."), "{hint}");
    b.screenshot_and_axe("batch-1-empty", "on the empty batch page")
        .await;

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patients.csv");
    check(&b, &example, true).await;
    wait_for_state(&b, "checked").await;
    let main = b.text_of("main").await;
    assert!(main.contains("Alle 4 rækker kan laves."), "{main}");
    assert!(
        main.contains("Kolonnen »Telefon« bruges ikke"),
        "the unknown column is named: {main}"
    );
    for secret in ["Søren", "Ærø", "12345678"] {
        assert!(!main.contains(secret), "{secret} on the page: {main}");
    }
    b.screenshot_and_axe("batch-2-checked", "on the checked batch")
        .await;

    b.click("form[action$='/start'] button").await;
    wait_for_state(&b, "done").await;
    let main = b.text_of("main").await;
    assert!(main.contains("4 pjecer er lavet."), "{main}");
    b.screenshot_and_axe("batch-3-done", "on the finished batch")
        .await;

    let link = b.find("a[download]").await;
    assert_eq!(link.text().await.unwrap(), "Hent ZIP-filen");
    link.click().await.unwrap();
    let zip = b.download_ending("zip").await;
    assert_eq!(zip.file_name().unwrap(), "pjecer.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).expect("a ZIP");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        entries.push((f.name().unwrap().to_string(), bytes));
    }
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();

    let cli = Dir::new();
    std::fs::copy(&example, cli.path("patients.csv")).unwrap();
    util::batch(&cli, "patients.csv", &["--combined", "out/samlet.pdf"]).ok();
    let made = util::files(&cli.path("out"));
    assert_eq!(made.len(), 5, "4 handouts and the print file: {made:?}");
    for name in &made {
        let (_, bytes) = entries
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} in {names:?}"));
        assert!(
            *bytes == std::fs::read(cli.path("out").join(name)).unwrap(),
            "{name} is byte for byte the command line's"
        );
    }
    let (_, summary) = entries
        .iter()
        .find(|(n, _)| n == "oversigt.csv")
        .unwrap_or_else(|| panic!("the summary in {names:?}"));
    let summary = String::from_utf8(summary.clone()).unwrap();
    assert!(
        summary.starts_with("\u{feff}række;fil;status;besked\r\n"),
        "{summary}"
    );
    assert_eq!(summary.matches(";lavet;").count(), 4, "{summary}");
    assert_eq!(names.len(), 6, "{names:?}");

    // Downloaded: the page, loaded again, says the file is gone from the server.
    b.client.refresh().await.unwrap();
    wait_for_page(&b, "the page after the download", "true").await;
    let main = b.text_of("main").await;
    assert!(
        main.contains("Kørslen findes ikke længere") || main.contains("ZIP-filen er hentet"),
        "{main}"
    );
    b.close().await;
}

/// A file with one bad row: the check table names its spreadsheet row and its column in
/// Danish, says the problem without the cell's value, and nothing is made; cancel removes it.
#[tokio::test(flavor = "multi_thread")]
async fn a_bad_row_is_named_in_the_check_table_and_the_batch_can_be_cancelled() {
    let Some((server, b)) = open_batch_page().await else {
        return;
    };
    let file = export(
        &server,
        "navn;region;dato\nAnna;lænd;2026-12-01\nBo;nakke;31-13-2026\nCarl;nakke;\n",
    );
    check(&b, &file, false).await;
    wait_for_state(&b, "checked").await;

    let caption = b.text_of("table.problems caption").await;
    assert_eq!(caption, "Rækker med problemer");
    let headers = b
        .run("return [...document.querySelectorAll('table.problems th')].map(th => th.textContent)")
        .await;
    assert_eq!(headers, json!(["Række", "Kolonne", "Problem"]));
    let rows = table_rows(&b).await;
    assert_eq!(
        rows,
        json!([[
            "3",
            "dato",
            "Datoen kan ikke læses; skriv den som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ, fx 2026-12-03."
        ]]),
        "spreadsheet row 3 (the header is row 1), the Danish column name"
    );
    let main = b.text_of("main").await;
    assert!(
        main.contains("1 af 3 rækker har problemer.") && !main.contains("31-13-2026"),
        "{main}"
    );
    // Which rows to fix is read before the button that makes the rest.
    let table_first = b
        .run(
            "const t = document.querySelector('table.problems'); \
             const go = document.querySelector('form[action$=\"/start\"] button'); \
             return !!(t.compareDocumentPosition(go) & Node.DOCUMENT_POSITION_FOLLOWING)",
        )
        .await;
    assert_eq!(
        table_first,
        json!(true),
        "the table comes before »Lav pjecer«"
    );
    b.screenshot_and_axe("batch-4-bad-row", "on the check table")
        .await;

    // Nothing is made before "Lav pjecer"; "Annullér" ends the batch and says so.
    b.click("form[action$='/cancel'] button").await;
    wait_for_state(&b, "cancelled").await;
    let main = b.text_of("main").await;
    assert!(
        main.contains("Kørslen er stoppet, og alt fra den er slettet."),
        "{main}"
    );
    b.screenshot_and_axe("batch-5-cancelled", "on the cancelled batch")
        .await;
    b.close().await;
}

/// A file the page cannot use (a header naming no column pjece reads) comes back above the
/// form in Danish, the form's choices kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_with_no_known_column_is_refused_in_danish_above_the_form() {
    let Some((server, b)) = open_batch_page().await else {
        return;
    };
    let file = export(&server, "Fornavn;Telefon\nAnna;12345678\n");
    b.click("#region-lumbar").await;
    check(&b, &file, false).await;
    let summary_shown = "!!document.getElementById('error-summary')";
    wait_for_page(&b, "the error summary", summary_shown).await;
    let summary = b.text_of("#error-summary").await;
    assert!(
        summary.contains("Filens første række nævner ingen kolonne, pjece kender"),
        "{summary}"
    );
    assert!(!summary.contains("12345678") && !summary.contains("Anna"));
    assert!(
        summary.contains("Ret filen, og vælg den igen herunder."),
        "{summary}"
    );
    assert_eq!(
        b.run("return document.getElementById('region-lumbar').checked")
            .await,
        json!(true),
        "the region chosen is kept"
    );
    b.screenshot_and_axe("batch-6-refused", "on the refused upload")
        .await;
    b.close().await;
}
