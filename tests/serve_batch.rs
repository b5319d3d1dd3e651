//! "Mange på én gang" over real HTTP: `pjece serve` on an ephemeral port, its temporary
//! directory pointed (TMPDIR) at a test directory so a batch's private directory can be seen
//! to come and go. The ZIP is read back with the zip crate and its handouts compared byte for
//! byte with `pjece batch`'s.

mod util;

#[path = "util/http.rs"]
mod http;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http::Answer;
use serde_json::Value;
use util::Dir;

struct Server {
    child: Child,
    port: u16,
    dir: Dir,
}

impl Server {
    fn start() -> Server {
        let dir = Dir::new();
        std::fs::create_dir(dir.path("tmp")).unwrap();
        let (child, port) = http::spawn(
            http::serve_command(dir.root(), &["--no-clinic"])
                .env("TMPDIR", dir.path("tmp"))
                .stderr(Stdio::piped()),
        );
        Server { child, port, dir }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        http::request(self.port, method, path, headers, body)
    }

    fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    /// POSTs the urlencoded form `body` to `path`.
    fn post_form(&self, path: &str, body: &str) -> Answer {
        let form = ("Content-Type", "application/x-www-form-urlencoded");
        self.request("POST", path, &[form], body.as_bytes())
    }

    fn upload(&self, path: &str, file_name: &str, file: &[u8], fields: &[(&str, &str)]) -> Answer {
        let body = http::multipart(file_name, "application/octet-stream", file, fields);
        self.request(
            "POST",
            path,
            &[("Content-Type", &http::multipart_type())],
            &body,
        )
    }

    /// `POST /api/batch`, expected to be accepted: the status URL.
    fn create(&self, file_name: &str, file: &[u8], fields: &[(&str, &str)]) -> String {
        let a = self.upload("/api/batch", file_name, file, fields);
        assert_eq!(a.status, 202, "{}", a.text());
        let url = a.json()["status_url"].as_str().unwrap().to_string();
        assert_eq!(a.header("location"), Some(url.as_str()));
        url
    }

    /// Polls a status URL until its state is no longer one of `moving`.
    fn wait(&self, url: &str, moving: &[&str]) -> Value {
        let start = Instant::now();
        loop {
            let s = self.get(url).json();
            if !moving.contains(&s["state"].as_str().unwrap()) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(600), "{s}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn token(&self) -> String {
        http::csrf_token(&self.get("/batch").text())
    }

    /// The batch directories in the server's temporary directory.
    fn batch_dirs(&self) -> Vec<String> {
        util::files(&self.dir.path("tmp"))
            .into_iter()
            .filter(|n| n.starts_with("pjece-batch-"))
            .collect()
    }

    fn stderr(mut self) -> String {
        http::kill_for_stderr(&mut self.child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ZIP's entries, name and bytes, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn example() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patients.csv")).unwrap()
}

#[test]
fn the_example_export_gives_the_command_lines_handouts_in_one_zip() {
    let server = Server::start();
    let url = server.create(
        "patients.csv",
        &example(),
        &[("date", "2026-11-26"), ("combined", "true")],
    );
    let status = server.wait(&url, &["queued", "running"]);
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(
        (status["done"].as_u64(), status["failed"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(status["total"], 4);
    // The unknown column is named as the command line names it, in the page's words.
    let warnings = status["warnings"].to_string();
    assert!(warnings.contains("»Telefon« bruges ikke"), "{warnings}");
    assert_eq!(
        server.batch_dirs().len(),
        1,
        "the batch's private directory"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = server.dir.path("tmp").join(&server.batch_dirs()[0]);
        let mode = std::fs::metadata(dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    let result_url = status["result_url"].as_str().unwrap();
    let zip = server.get(result_url);
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let entries = unzip(&zip.body);

    let cli = Dir::new();
    std::fs::write(cli.path("patients.csv"), example()).unwrap();
    util::batch(&cli, "patients.csv", &["--combined", "out/samlet.pdf"]).ok();
    let made = util::files(&cli.path("out"));
    let handouts: Vec<&String> = made.iter().filter(|n| *n != "samlet.pdf").collect();
    assert_eq!(handouts.len(), 4, "{made:?}");
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for name in &handouts {
        let (_, bytes) = entries
            .iter()
            .find(|(n, _)| n == *name)
            .unwrap_or_else(|| panic!("{name} in {names:?}"));
        assert!(
            *bytes == std::fs::read(cli.path("out").join(name)).unwrap(),
            "{name} is byte for byte the command line's"
        );
    }
    let (_, combined) = entries.iter().find(|(n, _)| n == "samlet.pdf").unwrap();
    assert!(combined.starts_with(b"%PDF-"));
    assert!(
        *combined == std::fs::read(cli.path("out/samlet.pdf")).unwrap(),
        "the print file is the command line's"
    );
    let (_, summary) = entries.iter().find(|(n, _)| n == "oversigt.csv").unwrap();
    let summary = String::from_utf8(summary.clone()).unwrap();
    assert!(
        summary.starts_with("\u{feff}række;fil;status;besked\r\n"),
        "{summary}"
    );
    assert_eq!(summary.lines().count(), 5, "{summary}");
    assert!(
        summary.contains(&format!("\r\n2;{};lavet;\r\n", handouts[0])),
        "{summary}"
    );
    assert_eq!(
        names.len(),
        6,
        "4 handouts, the print file, the summary: {names:?}"
    );

    // Downloaded: the directory and the batch are gone.
    assert_eq!(server.batch_dirs(), Vec::<String>::new());
    assert_eq!(server.get(&url).status, 404);
    assert_eq!(server.get(result_url).status, 404);
    let log = server.stderr();
    for secret in ["Søren", "Ærø", "Telefon", &url[11..]] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    assert!(log.contains("POST /api/batch 202"), "{log}");
}

#[test]
fn a_bad_row_is_named_by_spreadsheet_row_and_column_before_anything_is_made() {
    let server = Server::start();
    let csv = "navn;region;dato\nAnna;lænd;2026-12-01\nBo;hofte;\nCarl;nakke;\n";
    let token = server.token();
    let a = server.upload(
        "/batch",
        "eksport.csv",
        csv.as_bytes(),
        &[("csrf", &token), ("date", "2026-11-26")],
    );
    assert_eq!(a.status, 303, "{}", a.text());
    let page_url = a.header("location").unwrap().to_string();
    let status_url = format!("/api{page_url}");
    let s = server.wait(&status_url, &["checking"]);
    assert_eq!(s["state"], "checked", "{s}");
    assert_eq!(
        (s["total"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(1))
    );
    let row = &s["rows"][0];
    assert_eq!(
        (row["row"].as_u64(), row["column"].as_str()),
        (Some(3), Some("region"))
    );
    assert_eq!(
        row["message"],
        "Området er ikke lænd eller nakke; skriv lænd (lumbar) eller nakke (cervical).",
    );
    let page = server.get(&page_url).text();
    assert!(page.contains("<td>3</td><td>region</td>"), "{page}");
    assert!(
        page.contains("Lav pjecer") && !page.contains("hofte"),
        "{page}"
    );
    // Nothing is made until "Lav pjecer".
    assert!(s["result_url"].is_null());
    let start = server.post_form(&format!("{page_url}/start"), &format!("csrf={token}"));
    assert_eq!(start.status, 303);
    let s = server.wait(&status_url, &["checked", "queued", "running"]);
    assert_eq!(s["state"], "done", "{s}");
    assert_eq!(
        (s["done"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(1))
    );
    let zip = server.get(s["result_url"].as_str().unwrap());
    let entries = unzip(&zip.body);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["0001-anna.pdf", "0003-carl.pdf", "oversigt.csv"]);
    let summary = String::from_utf8(entries[2].1.clone()).unwrap();
    assert!(
        summary
            .contains("\r\n3;;fejl;\"Området er ikke lænd eller nakke; skriv lænd (lumbar) eller nakke (cervical).\"\r\n"),
        "{summary}"
    );
}

#[test]
fn whole_file_problems_get_the_command_lines_fix_in_the_pages_words() {
    let server = Server::start();
    let windows = b"navn;region\r\nS\xF8ren;l\xE6nd\r\n";
    let a = server.upload("/api/batch", "eksport.csv", windows, &[]);
    assert_eq!(a.status, 422, "{}", a.text());
    let message = a.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("ikke gemt som UTF-8; den ligner Windows-1252")
            && message.contains("»Tegnsæt«"),
        "{message}"
    );
    let url = server.create("eksport.csv", windows, &[("encoding", "windows-1252")]);
    let s = server.wait(&url, &["queued", "running"]);
    assert_eq!(
        (s["state"].as_str(), s["failed"].as_u64()),
        (Some("done"), Some(0)),
        "{s}"
    );
    let zip = server.get(s["result_url"].as_str().unwrap());
    let names: Vec<String> = unzip(&zip.body).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["0001-soeren.pdf", "oversigt.csv"],
        "read as Windows-1252: Søren"
    );

    let workbook = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0[Content_Types].xml";
    let a = server.upload("/api/batch", "eksport.xlsx", workbook, &[]);
    assert_eq!(a.status, 422);
    assert!(a.text().contains("Excel-projektmappe"), "{}", a.text());

    let quote = "navn;region;note\nAnna;lænd;ok\nBo;nakke;\"aldrig lukket\nCarl;lænd;\n";
    let a = server.upload("/api/batch", "eksport.csv", quote.as_bytes(), &[]);
    assert_eq!(a.status, 422);
    let e = &a.json()["errors"][0];
    assert_eq!(
        (e["row"].as_u64(), e["column"].as_str()),
        (Some(3), Some("note")),
        "{e}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("lukkes aldrig"),
        "{e}"
    );

    let a = server.upload("/api/batch", "eksport.csv", b"navn\nAnna\n", &[]);
    assert_eq!(a.status, 422);
    assert!(a.text().contains("ingen kolonne »region«"), "{}", a.text());

    // The page says the same above its form, and keeps the choices made.
    let token = server.token();
    let a = server.upload(
        "/batch",
        "eksport.csv",
        windows,
        &[("csrf", &token), ("combined", "ja")],
    );
    assert_eq!(a.status, 422);
    let page = a.text();
    assert!(page.contains("den ligner Windows-1252"), "{page}");
    assert!(
        page.contains("name=\"combined\" id=\"combined\" value=\"ja\" checked"),
        "{page}"
    );
    // A form without this server's token is refused.
    let a = server.upload("/batch", "eksport.csv", windows, &[("csrf", "1.00")]);
    assert_eq!(a.status, 403);
    assert_eq!(
        server.batch_dirs(),
        Vec::<String>::new(),
        "refused uploads leave nothing"
    );
}

#[test]
fn an_upload_over_the_limit_is_refused_with_413() {
    let server = Server::start();
    let mut big = b"navn;region\n".to_vec();
    while big.len() <= 8 * 1024 * 1024 + 100 {
        big.extend_from_slice(b"Anna Andersen;lumbar\n");
    }
    let a = server.upload("/api/batch", "stor.csv", &big, &[]);
    assert_eq!(a.status, 413, "{}", a.text());
    assert!(a.text().contains("større end 8 MB"), "{}", a.text());
    assert_eq!(server.batch_dirs(), Vec::<String>::new());
}

#[test]
fn single_handouts_answer_while_a_2000_row_batch_runs_and_cancel_removes_it() {
    let server = Server::start();
    let mut csv = String::from("navn;region;note\n");
    for i in 0..2000 {
        csv.push_str(&format!(
            "Patient {i};{};Note {i}\n",
            ["lænd", "nakke"][i % 2]
        ));
    }
    let url = server.create("mange.csv", csv.as_bytes(), &[("combined", "true")]);
    // Running, its rows counted and the first made.
    let s = loop {
        let s = server.get(&url).json();
        if s["state"] != "queued" && (s["state"] != "running" || s["done"] != 0) {
            break s;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(s["state"], "running", "{s}");
    assert_eq!(s["total"], 2000);
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let a = server.request(
            "POST",
            "/api/handout",
            &[("Content-Type", "application/json")],
            br#"{"region": "lumbar", "name": "Anna"}"#,
        );
        times.push(start.elapsed().as_millis());
        assert_eq!(a.status, 200, "{}", a.text());
        assert!(a.body.starts_with(b"%PDF-"));
    }
    let s = server.get(&url).json();
    assert_eq!(s["state"], "running", "still running: {s}");
    eprintln!(
        "single handouts while a 2000-row batch ran: {times:?} ms; batch at {}/2000",
        s["done"]
    );
    let a = server.request("DELETE", &url, &[], b"");
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["state"], "cancelled");
    assert_eq!(
        server.batch_dirs(),
        Vec::<String>::new(),
        "cancel removes it at once"
    );
    let s = server.wait(&url, &["running"]);
    assert_eq!(s["state"], "cancelled");
    assert!(s["done"].as_u64().unwrap() < 2000, "{s}");
    assert!(s["result_url"].is_null());
    assert_eq!(server.get(&format!("{url}/result")).status, 409);
}

#[test]
fn the_page_works_without_script_and_cancels_with_its_button() {
    let server = Server::start();
    let form = server.get("/").text();
    assert!(
        form.contains("href=\"/batch\""),
        "the form links the batch page"
    );
    let page = server.get("/batch").text();
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("type=\"file\""));
    let token = server.token();
    let csv = util::setup::lumbar_export(300);
    let a = server.upload(
        "/batch",
        "x.csv",
        csv.as_bytes(),
        &[("csrf", &token), ("go_on", "ja")],
    );
    assert_eq!(a.status, 303);
    let page_url = a.header("location").unwrap().to_string();
    let page = server.get(&page_url).text();
    // A moving batch refreshes itself without script.
    assert!(
        page.contains("<noscript><meta http-equiv=\"refresh\""),
        "{page}"
    );
    let cancel = server.post_form(&format!("{page_url}/cancel"), &format!("csrf={token}"));
    assert_eq!(cancel.status, 303);
    let page = server.get(&page_url).text();
    assert!(page.contains("Annulleret"), "{page}");
    assert!(
        !page.contains("<noscript><meta"),
        "a cancelled batch stops refreshing"
    );
    assert_eq!(server.batch_dirs(), Vec::<String>::new());
}

#[test]
fn stopping_the_server_removes_a_running_batch() {
    let server = Server::start();
    let csv = util::setup::lumbar_export(500);
    let url = server.create("x.csv", csv.as_bytes(), &[("combined", "true")]);
    let s = server.wait(&url, &["queued"]);
    assert_eq!(s["state"], "running", "{s}");
    assert_eq!(server.batch_dirs().len(), 1);
    Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert_eq!(server.batch_dirs(), Vec::<String>::new());
}

#[test]
fn the_librarys_row_errors_are_said_in_danish_and_the_rest_as_on_the_command_line() {
    let server = Server::start();
    let long = "Meget Langt Navn ".repeat(12);
    let csv = format!(
        "navn;region;råd;fil\nAnna;lænd;hold-dig-aktiv, findes-ikke;\n{long};nakke;;\nBo;lænd;;a.pdf\nCarl;lænd;;a.pdf\n"
    );
    let url = server.create("x.csv", csv.as_bytes(), &[]);
    let s = server.wait(&url, &["queued", "running"]);
    assert_eq!(
        (s["state"].as_str(), s["failed"].as_u64()),
        (Some("done"), Some(3)),
        "{s}"
    );
    let rows = s["rows"].as_array().unwrap();
    let at = |n: u64| {
        rows.iter()
            .find(|r| r["row"] == n)
            .unwrap_or_else(|| panic!("row {n} in {s}"))
    };
    assert_eq!(at(2)["column"], "advice");
    let advice = at(2)["message"].as_str().unwrap();
    assert!(
        advice.starts_with("Et id i kolonnen »råd« findes ikke for dette område")
            && advice.contains("hold-dig-aktiv"),
        "{advice}"
    );
    assert!(
        !advice.contains("findes-ikke"),
        "the value is not repeated: {advice}"
    );
    assert_eq!(at(3)["column"], "name");
    let name = at(3)["message"].as_str().unwrap();
    assert!(
        name.starts_with("Patientens navn er ") && name.contains("tegn lang"),
        "{name}"
    );
    assert!(!name.contains("Meget"), "{name}");
    // A name two rows share is typed by the batch: said in Danish, by the earlier sheet row.
    assert_eq!(at(5)["column"], "file");
    assert_eq!(
        at(5)["message"],
        "Rækken får samme filnavn som række 4. Giv rækken sit eget navn i kolonnen »fil«.",
        "{s}"
    );
}
