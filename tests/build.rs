//! `pjece build`: the handout read back from the PDF.

mod util;

use pjece::content::Content;
use pjece::handout::Piece;
use pjece::select::{self, Choices};
use util::{Dir, fonts, info, page_text, text};
fn build(dir: &Dir, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let mut args = extra.to_vec();
    args.extend(["-o", name]);
    dir.build(&args).ok();
    dir.path(name)
}

#[test]
fn lumbar_handout_has_everything_a_patient_needs() {
    let dir = Dir::new();
    let pdf = dir.handout(
        "lumbar",
        &[
            "--patient",
            "Søren Ærø",
            "--therapist",
            "Mette Kjær",
            "--note",
            "Husk øvelserne morgen og aften.",
        ],
        "l.pdf",
    );
    let t = text(&pdf);
    util::assert_contains(
        &t,
        &[
            "Nerverodspåvirkning i lænden",
            "Til: Søren Ærø",
            "Fysioterapeut: Mette Kjær",
            "Dato: 26. november 2026",
            "Besked fra din fysioterapeut Husk øvelserne morgen og aften.",
            "Søg læge med det samme, hvis du",
            "får føleforstyrrelser på indersiden af lårene",
            "pludselig mister kraft i benet eller over foden",
            "Oplever du dette, skal du kontakte lægevagten med det samme.",
            "Bliv ved med at bevæge dig.",
            "Opnå eller bevar sund vægt:",
            "Bygger på: Patientuddannelse til patienten med nerverodspåvirkning i lænd og nakke",
            "Indholdsversion 1.2.0 (30. november 2026)",
        ],
    );
    let i = info(&pdf);
    assert_eq!(i["Title"], "Nerverodspåvirkning i lænden");
    assert_eq!(i["Tagged"], "yes");
    assert!(i["Page size"].contains("(A4)"), "{}", i["Page size"]);
    let pages: usize = i["Pages"].parse().unwrap();
    for p in 1..=pages {
        assert!(
            page_text(&pdf, p).contains(&format!("Side {p} af {pages}")),
            "page {p}"
        );
    }
}

#[test]
fn cervical_handout_has_neck_red_flags_and_no_lumbar_wording() {
    let dir = Dir::new();
    for variant in [&[][..], &["--short"][..]] {
        let mut args = vec!["--region", "nakke"];
        args.extend_from_slice(variant);
        let t = text(&build(&dir, "c.pdf", &args));
        util::assert_contains(
            &t,
            &[
                "Søg læge med det samme, hvis du",
                "bliver klodset i hænderne",
                "kontakte din læge eller lægevagten med det samme",
            ],
        );
        for lumbar in [
            "lænderyg",
            "core",
            "tunge løft",
            "lårene",
            "ekstremiteten",
            "Opnå eller bevar sund vægt",
        ] {
            assert!(
                !t.contains(lumbar),
                "{lumbar:?} in a neck handout ({variant:?})"
            );
        }
    }
}

#[test]
fn therapist_text_never_in_a_handout() {
    let dir = Dir::new();
    for region in ["lumbar", "cervical"] {
        for variant in [&[][..], &["--short"][..]] {
            let mut args = vec!["--region", region];
            args.extend_from_slice(variant);
            let t = text(&build(&dir, "x.pdf", &args));
            for therapist in [
                "Sæt rammen",
                "Fysioterapeuten bør lytte",
                "nociceptorer",
                "Observer",
                "TAK-modellen",
                "Indgå i dialog",
                "videre udredning",
                "alvorlig patologi",
                "Til fysioterapeuten",
            ] {
                assert!(
                    !t.contains(therapist),
                    "{therapist:?} leaked into {region} {variant:?}"
                );
            }
        }
    }
}

/// Every word the selection produces comes back from the PDF, in order.
#[test]
fn text_extracts_exactly() {
    let content = Content::embedded().unwrap();
    let dir = Dir::new();
    for (region, variant, args) in util::setup::every_handout(&["--patient", "Åse Øberg-Ærlig"])
    {
        let got = text(&build(&dir, "w.pdf", &args));
        let got: Vec<&str> = got.split(' ').collect();
        let mut choices = Choices::new(region, jiff::civil::date(2026, 11, 26));
        choices.variant = variant;
        let handout = select::select(&content, None, &choices).unwrap();
        let mut expected = Vec::new();
        for block in &handout.blocks {
            expected.extend(block.heading.split_whitespace().map(String::from));
            for piece in &block.pieces {
                let texts: Vec<String> = match piece {
                    Piece::Paragraph(r) => vec![r.iter().map(|s| s.text.as_str()).collect()],
                    Piece::List(items) => items
                        .iter()
                        .map(|(_, r)| r.iter().map(|s| s.text.as_str()).collect())
                        .collect(),
                    other => {
                        panic!("a default handout has only paragraphs and lists, not {other:?}")
                    }
                };
                for t in texts {
                    expected.extend(t.split_whitespace().map(String::from));
                }
            }
        }
        // A subsequence: footers and headers interleave, but no body word is lost or changed.
        let mut it = got.iter();
        for word in &expected {
            assert!(
                it.any(|g| g == word),
                "{region} {variant:?}: word {word:?} missing or out of order"
            );
        }
    }
}

#[test]
fn chosen_advice_present_and_omitted_absent() {
    let dir = Dir::new();
    let t = text(&dir.handout(
        "lumbar",
        &["--advice", "hold-dig-aktiv,tag-ansvar"],
        "a.pdf",
    ));
    util::assert_contains(
        &t,
        &[
            "Hold dig fysisk aktiv – hver dag:",
            "Tag ansvar og forstå din sygdom.",
        ],
    );
    for absent in [
        "Opnå eller bevar sund vægt",
        "Bliv ved med at bevæge dig",
        "Tag smertestillende",
    ] {
        assert!(!t.contains(absent), "{absent:?} was not chosen");
    }
    assert!(t.contains("Søg læge med det samme"), "red flags stay");

    let t = text(&dir.handout("lumbar", &["--omit", "sund-vaegt,prognose"], "o.pdf"));
    util::assert_lacks(&t, &["Opnå eller bevar sund vægt", "Udsigterne er gode"]);
    util::assert_contains(&t, &["Tag smertestillende med omtanke"]);
}

#[test]
fn fonts_are_embedded_and_subset() {
    let dir = Dir::new();
    let rows = fonts(&dir.handout("lumbar", &[], "f.pdf"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        assert!(row.name.contains("AtkinsonHyperlegibleNext"), "{row:?}");
        assert!(row.embedded && row.subset && row.unicode, "{row:?}");
        // A subset font's name carries a six-letter tag: ABCDEF+Name.
        assert_eq!(row.name.find('+'), Some(6), "{row:?}");
    }
}

#[test]
fn same_input_same_bytes() {
    let dir = Dir::new();
    let args = [
        "--region",
        "cervical",
        "--patient",
        "Søren",
        "--note",
        "Hej",
    ];
    let a = std::fs::read(build(&dir, "a.pdf", &args)).unwrap();
    let b = std::fs::read(build(&dir, "b.pdf", &args)).unwrap();
    assert!(a == b, "two runs differ");
    let to_stdout = [&args[..], &["-o", "-"]].concat();
    let out = dir.build(&to_stdout).ok();
    assert!(out.output.stdout == a, "-o - writes the same bytes");
    let c = std::fs::read(dir.handout(
        "cervical",
        &["--patient", "Søren", "--note", "Hej!"],
        "c.pdf",
    ))
    .unwrap();
    assert!(a != c, "a different note gives a different file");
}

#[test]
fn date_defaults_to_source_date_epoch_or_today() {
    let dir = Dir::new();
    let out = dir
        .command()
        .args(["build", "--region", "lumbar", "-o", "e.pdf"])
        .env("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01T00:00:00Z
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(text(&dir.path("e.pdf")).contains("Dato: 1. december 2026"));
}
