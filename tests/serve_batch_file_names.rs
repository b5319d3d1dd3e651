//! Why a file name cannot be used, on the batch page in plain Danish with what to do, over
//! real HTTP: a CSV with one kind of bad name in the file column a row (and a name cell that
//! cannot become a file name) uploaded to `/batch`, the check's page and status read back. The
//! command line still says the same in its English. No cell's value is repeated: only a
//! character's code, one of `<>:"|?*` or a Windows device name is named.

mod util;

#[path = "util/http.rs"]
mod http;

use util::{Dir, batch};

/// A sheet with one bad file name a row (sheet rows 2 to 11), a name cell on two lines without
/// a file name (row 12) and a row with a bad region and a bad file name (row 13).
fn sheet() -> String {
    let long = format!("{}odelia", "x".repeat(197));
    format!(
        "navn;region;fil\n\
         Agnete Holmgaard;lænd;mappe/agnete\n\
         Birthe Krogsgaard;lænd;.skjult-birthe\n\
         Cornelius Dahlberg;lænd;cornelius:dahlberg\n\
         Dagmar Vestbjerg;lænd;dagmar.\n\
         Egon Lundqvist;lænd;aux.pdf\n\
         Odelia Fjordbakke;lænd;{long}\n\
         Gudrun Ravnsholt;lænd;gudrun\u{2215}ravnsholt\n\
         Halfdan Bechgaard;nakke;\"halfdan\nbechgaard\"\n\
         Kirstine Krogh;nakke;kirstine\u{200B}krogh\n\
         Leopold Vinther;nakke;leopold|vinther\n\
         \"Ingeborg\nIversdatter\";nakke;\n\
         Jesper Juhlsgaard;hofte;jesper\\juhlsgaard\n"
    )
}

/// What the page says of each failed row: the sheet row, the column shown and the message.
const EXPECTED: [(u64, &str, &str); 12] = [
    (
        2,
        "fil",
        "Filnavnet i kolonnen »fil« må ikke indeholde / eller \\ — skriv kun et navn, ikke en \
         mappe.",
    ),
    (
        3,
        "fil",
        "Filnavnet i kolonnen »fil« må ikke begynde med et punktum (så bliver filen skjult) — \
         fjern punktummet.",
    ),
    (
        4,
        "fil",
        "Filnavnet i kolonnen »fil« indeholder tegnet »:«, som ikke må stå i et filnavn — fjern \
         det; tegnene < > : \" | ? * kan ikke bruges.",
    ),
    (
        5,
        "fil",
        "Filnavnet i kolonnen »fil« må ikke slutte med et punktum eller et mellemrum — fjern det \
         sidste tegn.",
    ),
    (
        6,
        "fil",
        "Filnavnet i kolonnen »fil« hedder »AUX«, et navn Windows har reserveret til en enhed — \
         vælg et andet navn.",
    ),
    (
        7,
        "fil",
        "Filnavnet i kolonnen »fil« er for langt: højst 200 tegn med ».pdf«, og æ, ø og å tæller \
         for to — gør det kortere.",
    ),
    (
        8,
        "fil",
        "Filnavnet i kolonnen »fil« indeholder tegnet U+2215 '∕', som ligner en skråstreg eller \
         ikke kan ses — fjern det i regnearket.",
    ),
    (
        9,
        "fil",
        "Filnavnet i kolonnen »fil« står på flere linjer — skriv det på én linje.",
    ),
    (
        10,
        "fil",
        "Filnavnet i kolonnen »fil« indeholder tegnet U+200B, som ligner en skråstreg eller ikke \
         kan ses — fjern det i regnearket.",
    ),
    (
        11,
        "fil",
        "Filnavnet i kolonnen »fil« indeholder tegnet »|«, som ikke må stå i et filnavn — fjern \
         det; tegnene < > : \" | ? * kan ikke bruges.",
    ),
    (
        12,
        "navn",
        "Navnet i kolonnen »navn« bliver rækkens filnavn, men det står på flere linjer — skriv \
         det på én linje, eller giv rækken sit eget filnavn i kolonnen »fil«.",
    ),
    (
        13,
        "–",
        "Rækken har 2 problemer: Området er ikke lænd eller nakke; skriv lænd (lumbar) eller \
         nakke (cervical). Filnavnet i kolonnen »fil« må ikke indeholde / eller \\ — skriv kun \
         et navn, ikke en mappe.",
    ),
];

#[test]
fn the_batch_page_says_why_a_file_name_cannot_be_used_in_danish() {
    let dir = Dir::new();
    let (mut child, port) = http::spawn_with_tmp(dir.root());
    let get = |path: &str| http::request(port, "GET", path, &[], b"");
    let (page_url, status) = http::upload_checked(port, sheet().as_bytes());
    assert_eq!(status["state"], "checked", "{status}");
    assert_eq!(status["failed"].as_u64(), Some(12), "{status}");

    let page = get(&page_url).text();
    http::assert_failed_rows(&status, &page, &EXPECTED);
    // Every row has a problem: nothing to make, so no button that would make an empty ZIP file.
    assert!(page.contains("Ingen af de 12 rækker kan laves."), "{page}");
    assert!(!page.contains("Lav pjecer"), "{page}");
    // The command line's English reasons stay there.
    let json = status.to_string();
    let english = [
        "must",
        "contains",
        "file name",
        "file systems",
        "not a path",
        "reserved device",
        "bytes long",
        "looks like",
        "remove it",
        "control character",
        "column ",
        "problems:",
    ];
    // Neither a patient's name nor the rest of a file cell is repeated.
    let values = [
        "Agnete",
        "agnete",
        "Birthe",
        "skjult-",
        "Cornelius",
        "cornelius",
        "dagmar",
        "Dagmar",
        "Egon",
        "aux.pdf",
        "Odelia",
        "odelia",
        "xxxxxxxxxx",
        "Gudrun",
        "ravnsholt",
        "Halfdan",
        "bechgaard",
        "Kirstine",
        "krogh",
        "Leopold",
        "vinther",
        "Ingeborg",
        "Iversdatter",
        "Jesper",
        "juhlsgaard",
        "hofte",
    ];
    for absent in english.iter().chain(&values) {
        assert!(!page.contains(absent), "{absent}: {page}");
        assert!(!json.contains(absent), "{absent}: {json}");
    }
    let _ = http::kill_for_stderr(&mut child);
}

/// The same sheet on the command line: each reason in the English it had before the reasons
/// were typed, named by row and column.
#[test]
fn the_command_line_keeps_its_english_reasons() {
    let dir = Dir::new();
    std::fs::write(dir.path("ark.csv"), sheet()).unwrap();
    let err = batch(&dir, "ark.csv", &["--check"]).exits(1);
    util::assert_contains(
        &err,
        &[
            "row 1 (spreadsheet row 2), column file: must be a file name, not a path (no / or \\)",
            "row 2 (spreadsheet row 3), column file: must not start with '.'",
            "row 3 (spreadsheet row 4), column file: contains ':', which file systems do not \
             allow in names",
            "row 4 (spreadsheet row 5), column file: must not end with a space or '.'",
            "row 5 (spreadsheet row 6), column file: 'aux' is a reserved device name on Windows",
            "row 6 (spreadsheet row 7), column file: is 207 bytes long; at most 200",
            "row 7 (spreadsheet row 8), column file: contains U+2215 '∕', which looks like a \
             slash or cannot be seen; remove it",
            "row 8 (spreadsheet row 9), column file: contains U+000A, a control character",
            "row 9 (spreadsheet row 10), column file: contains U+200B, which looks like a slash \
             or cannot be seen; remove it",
            "row 10 (spreadsheet row 11), column file: contains '|', which file systems do not \
             allow in names",
            "row 11 (spreadsheet row 12), column name: contains U+000A, a control character",
            "row 12 (spreadsheet row 13): 2 problems: column region: is not a region; use lumbar \
             (lænd) or cervical (nakke); column file: must be a file name, not a path (no / or \
             \\)",
        ],
    );
}
