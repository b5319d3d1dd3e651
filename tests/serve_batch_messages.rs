//! The batch page says a row's problem in Danish, also the three the batch types itself: a cell
//! the reader refuses, a file name two rows share, a row with several problems. Over real HTTP:
//! a CSV uploaded to `/batch`, the check's page and its status read back. No cell's value is
//! ever repeated, only the row and column.

mod util;

#[path = "util/http.rs"]
mod http;

use util::Dir;

#[test]
fn the_batch_page_says_the_typed_row_problems_in_danish() {
    let dir = Dir::new();
    let (mut child, port) = http::spawn_with_tmp(dir.root());
    let get = |path: &str| http::request(port, "GET", path, &[], b"");
    // Sheet rows 2 and 3 share a file name; row 4's name holds an escape character; row 5 has
    // an unknown region and an unreadable date.
    let csv = "navn;region;dato;fil\n\
               Anna Holm;lænd;;fælles-fil\n\
               Bodil Krag;lænd;;fælles-fil\n\
               Carl\u{1b}[2J Dahl;nakke;;\n\
               Dorte Vestergaard;hofte;31-31-2026;\n";
    let (page_url, status) = http::upload_checked(port, csv.as_bytes());
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
    http::assert_failed_rows(&status, &page, &expected);
    // One row of four can be made.
    assert!(
        page.contains("3 af 4 rækker har problemer. De andre kan laves nu"),
        "{page}"
    );
    assert!(page.contains("Lav pjecer"), "{page}");
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
