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
use std::path::Path;

use browser::{Browser, Server, available};
use serde_json::json;
use util::Dir;

/// The date the page's field is set to, and `pjece batch` is given (`util::batch`).
const DATE: &str = "2026-11-26";

fn assert_no_violations(when: &str, violations: &[String]) {
    assert!(
        violations.is_empty(),
        "axe-core found WCAG 2.1 AA violations {when}:\n{}",
        violations.join("\n")
    );
}

/// Opens the batch page the way a user does: the form, then its link.
async fn open_batch_page(b: &Browser, server: &Server) {
    b.goto(&server.url("/")).await;
    let link = b.find("a[href='/batch']").await;
    assert_eq!(link.text().await.unwrap(), "Mange på én gang");
    link.click().await.unwrap();
    b.wait_until(
        "the batch page",
        "return location.pathname === '/batch' && !!document.getElementById('file')",
    )
    .await;
}

/// Chooses `file` through the file input, the date, and presses "Tjek filen".
async fn check(b: &Browser, file: &Path, combined: bool) {
    b.find("#file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
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
    b.find("#batch-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
}

/// Waits for the batch page to show `state`.
async fn wait_for_state(b: &Browser, state: &str) {
    b.wait_until(
        &format!("the batch to be {state}"),
        &format!(
            "const p = document.getElementById('batch-progress'); \
             return document.readyState === 'complete' && !!p && p.dataset.state === '{state}'"
        ),
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

async fn text_of(b: &Browser, css: &str) -> String {
    b.find(css).await.text().await.unwrap()
}

/// The example export, end to end: chosen, checked, made, downloaded; the ZIP holds every
/// handout byte for byte as `pjece batch` makes it, the print file and the summary.
#[tokio::test(flavor = "multi_thread")]
async fn the_example_export_is_checked_made_and_downloaded_as_one_zip() {
    if !available("browser test") {
        return;
    }
    let server = Server::start(&["--no-clinic"]);
    let b = Browser::start().await;
    open_batch_page(&b, &server).await;
    let hint = text_of(&b, "#file-hint").await;
    assert!(hint.contains("Højst 8 MB og 5.000 rækker."), "{hint}");
    b.screenshot("batch-1-empty").await;
    assert_no_violations("on the empty batch page", &b.axe().await);

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patients.csv");
    check(&b, &example, true).await;
    wait_for_state(&b, "checked").await;
    let main = text_of(&b, "main").await;
    assert!(main.contains("Alle 4 rækker kan laves."), "{main}");
    assert!(
        main.contains("Kolonnen »Telefon« bruges ikke"),
        "the unknown column is named: {main}"
    );
    for secret in ["Søren", "Ærø", "12345678"] {
        assert!(!main.contains(secret), "{secret} on the page: {main}");
    }
    b.screenshot("batch-2-checked").await;
    assert_no_violations("on the checked batch", &b.axe().await);

    b.find("form[action$='/start'] button")
        .await
        .click()
        .await
        .unwrap();
    wait_for_state(&b, "done").await;
    let main = text_of(&b, "main").await;
    assert!(main.contains("4 pjecer er lavet."), "{main}");
    b.screenshot("batch-3-done").await;
    assert_no_violations("on the finished batch", &b.axe().await);

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
    b.wait_until(
        "the page after the download",
        "return document.readyState === 'complete'",
    )
    .await;
    let main = text_of(&b, "main").await;
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
    if !available("browser test") {
        return;
    }
    let server = Server::start(&["--no-clinic"]);
    let file = server.home.path().join("eksport.csv");
    std::fs::write(
        &file,
        "navn;region;dato\nAnna;lænd;2026-12-01\nBo;nakke;31-13-2026\nCarl;nakke;\n",
    )
    .unwrap();
    let b = Browser::start().await;
    open_batch_page(&b, &server).await;
    check(&b, &file, false).await;
    wait_for_state(&b, "checked").await;

    let caption = text_of(&b, "table.problems caption").await;
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
    let main = text_of(&b, "main").await;
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
    b.screenshot("batch-4-bad-row").await;
    assert_no_violations("on the check table", &b.axe().await);

    // Nothing is made before "Lav pjecer"; "Annullér" ends the batch and says so.
    b.find("form[action$='/cancel'] button")
        .await
        .click()
        .await
        .unwrap();
    wait_for_state(&b, "cancelled").await;
    let main = text_of(&b, "main").await;
    assert!(
        main.contains("Kørslen er stoppet, og alt fra den er slettet."),
        "{main}"
    );
    b.screenshot("batch-5-cancelled").await;
    assert_no_violations("on the cancelled batch", &b.axe().await);
    b.close().await;
}

/// A file the page cannot use (a header naming no column pjece reads) comes back above the
/// form in Danish, the form's choices kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_with_no_known_column_is_refused_in_danish_above_the_form() {
    if !available("browser test") {
        return;
    }
    let server = Server::start(&["--no-clinic"]);
    let file = server.home.path().join("eksport.csv");
    std::fs::write(&file, "Fornavn;Telefon\nAnna;12345678\n").unwrap();
    let b = Browser::start().await;
    open_batch_page(&b, &server).await;
    b.find("#region-lumbar").await.click().await.unwrap();
    check(&b, &file, false).await;
    b.wait_until(
        "the error summary",
        "return document.readyState === 'complete' && !!document.getElementById('error-summary')",
    )
    .await;
    let summary = text_of(&b, "#error-summary").await;
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
    b.screenshot("batch-6-refused").await;
    assert_no_violations("on the refused upload", &b.axe().await);
    b.close().await;
}
