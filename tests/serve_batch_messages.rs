//! The batch page says a row's problem in Danish, also the three the batch types itself: a cell
//! the reader refuses, a file name two rows share, a row with several problems. Over real HTTP:
//! a CSV uploaded to `/batch`, the check's page and its status read back. No cell's value is
//! ever repeated, only the row and column.

mod util;

#[path = "util/http.rs"]
mod http;

use std::process::Stdio;
use std::time::{Duration, Instant};

use util::Dir;

#[test]
fn the_batch_page_says_the_typed_row_problems_in_danish() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path("tmp")).unwrap();
    let (mut child, port) = http::spawn(
        http::serve_command(dir.root(), &["--no-clinic"])
            .env("TMPDIR", dir.path("tmp"))
            .stderr(Stdio::piped()),
    );
    let get = |path: &str| http::request(port, "GET", path, &[], b"");
    let token = http::csrf_token(&get("/batch").text());
    // Sheet rows 2 and 3 share a file name; row 4's name holds an escape character; row 5 has
    // an unknown region and an unreadable date.
    let csv = "navn;region;dato;fil\n\
               Anna Holm;lænd;;fælles-fil\n\
               Bodil Krag;lænd;;fælles-fil\n\
               Carl\u{1b}[2J Dahl;nakke;;\n\
               Dorte Vestergaard;hofte;31-31-2026;\n";
    let fields = [("csrf", token.as_str()), ("date", "2026-11-26")];
    let body = http::multipart("eksport.csv", "text/csv", csv.as_bytes(), &fields);
    let a = http::request(
        port,
        "POST",
        "/batch",
        &[("Content-Type", &http::multipart_type())],
        &body,
    );
    assert_eq!(a.status, 303, "{}", a.text());
    let page_url = a.header("location").unwrap().to_string();
    let start = Instant::now();
    let status = loop {
        let s = get(&format!("/api{page_url}")).json();
        if s["state"] != "checking" {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(300), "{s}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(status["state"], "checked", "{status}");
    assert_eq!(status["failed"].as_u64(), Some(3), "{status}");

    let expected = [
        (
            3,
            "fil",
            "Rækken får samme filnavn som række 2. Giv rækken sit eget navn i kolonnen »fil«.",
        ),
        (
            4,
            "navn",
            "Cellen i kolonnen »navn« indeholder tegnet U+001B, som ikke kan udskrives (et \
             styretegn eller et usynligt tegn). Fjern det i regnearket.",
        ),
        (
            5,
            "–",
            "Rækken har 2 problemer: Området er ikke lænd eller nakke; skriv lænd (lumbar) eller \
             nakke (cervical). Datoen kan ikke læses; skriv den som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ, \
             fx 2026-12-03.",
        ),
    ];
    let page = get(&page_url).text();
    for (i, (row, column, message)) in expected.iter().enumerate() {
        assert_eq!(status["rows"][i]["row"].as_u64(), Some(*row), "{status}");
        assert_eq!(status["rows"][i]["message"], *message, "{status}");
        assert!(
            page.contains(&format!(
                "<td>{row}</td><td>{column}</td><td>{message}</td>"
            )),
            "row {row}: {page}"
        );
    }
    // Neither the command line's English nor a cell's value reaches the page.
    for english in [
        "row 2's too",
        "problems:",
        "contains U+001B, a control",
        "column ",
    ] {
        assert!(!page.contains(english), "{english}: {page}");
    }
    for value in [
        "Anna", "Bodil", "Carl", "Dahl", "Dorte", "hofte", "31-31", "fælles",
    ] {
        assert!(!page.contains(value), "{value}: {page}");
    }
    let _ = http::kill_for_stderr(&mut child);
}
