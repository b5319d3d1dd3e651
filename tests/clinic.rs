//! Clinic profile, personal blocks, large print and the therapist's guide, read back from PDFs.

mod util;

use std::path::Path;
use util::{Dir, images, objects, page_text, text};

fn clinic_dir() -> Dir {
    let dir = Dir::new();
    for f in ["clinic.json", "logo.png", "logo.jpg"] {
        dir.fixture(f);
    }
    dir
}

fn pages(pdf: &Path) -> usize {
    util::info(pdf)["Pages"].parse().unwrap()
}

#[test]
fn the_clinic_profile_shows_on_every_page_and_sets_the_number_to_call() {
    let dir = clinic_dir();
    let pdf = dir.handout("lumbar", &["--clinic", "clinic.json"], "c.pdf");
    // The contact is a block of the body at the end ("Din fysioterapeut", issue 11), and the
    // footer keeps to source and version on every page.
    let last = page_text(&pdf, pages(&pdf));
    util::assert_contains(
        &last,
        &[
            "Din fysioterapeut Fysioterapi Ærø Vestergade 1, 8000 Aarhus C",
            "62 52 12 34 kontakt@fysio-aeroe.dk https://fysio-aeroe.dk",
        ],
    );
    for p in 1..=pages(&pdf) {
        let t = page_text(&pdf, p);
        assert!(
            t.contains("Bygger på:") && t.contains("Indholdsversion"),
            "page {p}"
        );
    }
    let t = text(&pdf);
    util::assert_contains(
        &t,
        &[
            "Oplever du dette, så kontakt din læge, eller ring til lægevagten på 70 11 31 31 med det samme.",
            "Ved livstruende tilstande: ring 112.",
        ],
    );
    // The logo is embedded once and described; the QR code is drawn as vector squares.
    assert_eq!(images(&pdf), 1);
    let objs = objects(&pdf);
    let alts: Vec<&str> = objs
        .iter()
        .filter(|o| o["/S"] == "/Figure")
        .filter_map(|o| o["/Alt"].as_str())
        .collect();
    assert!(
        alts.iter().any(|a| a.contains("Fysioterapi Ærøs logo")),
        "{alts:?}"
    );
    assert!(
        alts.iter()
            .any(|a| a.contains("QR-kode, der åbner https://fysio-aeroe.dk/traening")),
        "{alts:?}"
    );
    util::assert_contains(
        &t,
        &["Scan koden, eller gå ind på https://fysio-aeroe.dk/traening"],
    );
    let links: Vec<&str> = objs
        .iter()
        .filter(|o| o["/Subtype"] == "/Link")
        .filter_map(|o| o["/A"]["/URI"].as_str())
        .collect();
    // The QR code's address, and the clinic's e-mail and website in its contact block.
    let mut links = links;
    links.sort();
    assert_eq!(
        links,
        [
            "u:https://fysio-aeroe.dk",
            "u:https://fysio-aeroe.dk/traening",
            "u:mailto:kontakt@fysio-aeroe.dk"
        ]
    );
    // --no-qr leaves the clinic's QR code out for one patient; the rest of the profile stays.
    let t = text(&dir.handout("lumbar", &["--clinic", "clinic.json", "--no-qr"], "nq.pdf"));
    util::assert_lacks(&t, &["Scan koden", "fysio-aeroe.dk/traening"]);
    util::assert_contains(&t, &["Fysioterapi Ærø Vestergade 1"]);

    // Region Hovedstaden has no lægevagt: the box says whom to call there.
    let profile = std::fs::read_to_string(dir.path("clinic.json"))
        .unwrap()
        .replace("Region Midtjylland", "hovedstaden")
        .replace("logo.png", "logo.jpg");
    dir.write("kbh.json", profile);
    let t = text(&dir.handout("nakke", &["--clinic", "kbh.json"], "k.pdf"));
    util::assert_contains(
        &t,
        &[
            "Oplever du dette, så kontakt din læge, eller ring til Akuttelefonen på 1813 med det samme.",
        ],
    );
    assert!(
        !t.contains("lægevagten"),
        "no lægevagt in Region Hovedstaden"
    );
    assert_eq!(images(&dir.path("k.pdf")), 1, "a JPEG logo works too");
}

#[test]
fn the_default_profile_is_found_and_can_be_switched_off() {
    let dir = clinic_dir();
    let config = dir.path("config/pjece");
    std::fs::create_dir_all(&config).unwrap();
    let profile = std::fs::read_to_string(dir.path("clinic.json"))
        .unwrap()
        .replace("\"logo\": \"logo.png\",", "");
    std::fs::write(config.join("clinic.json"), profile).unwrap();
    let run = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pjece"));
        cmd.args(&util::BUILD_LUMBAR[..5])
            .args(["-o", "d.pdf"])
            .args(extra)
            .current_dir(dir.root())
            .env("XDG_CONFIG_HOME", dir.path("config"));
        assert!(cmd.output().unwrap().status.success());
        text(&dir.path("d.pdf"))
    };
    assert!(run(&[]).contains("Fysioterapi Ærø"));
    assert!(!run(&["--no-clinic"]).contains("Fysioterapi Ærø"));
}

#[test]
fn a_bad_profile_is_a_clear_error() {
    let dir = clinic_dir();
    dir.write("bad.png", b"GIF89a not a png");
    dir.write(
        "bad.json",
        r##"{"accent_color": "#FF0000", "logo": "bad.png", "region": "Fyn"}"##,
    );
    let err = dir
        .build(&["--region", "lumbar", "--clinic", "bad.json", "-o", "x.pdf"])
        .fails(1);
    util::assert_starts_with(&err, "pjece: the clinic profile has 3 problems:\n");
    util::assert_contains(
        &err,
        &[
            "bad.json: accent_color: #FF0000 has a contrast of 4.0:1 on white",
            "bad.json: logo: bad.png: is not a PNG or JPEG image",
            "bad.json: region: 'Fyn' is not a Danish region",
        ],
    );
    assert!(!dir.path("x.pdf").exists());
    dir.write("broken.png", b"\x89PNG\r\n\x1a\n truncated");
    dir.write("b.json", r#"{"logo": "broken.png"}"#);
    let err = dir.run(&["check", "--clinic", "b.json"]).fails(1);
    util::assert_contains(
        &err,
        &["b.json: logo: broken.png: cannot be read as an image"],
    );
    let err = dir.run(&["check", "--clinic", "missing.json"]).fails(1);
    util::assert_contains(&err, &["missing.json: does not exist"]);
}

#[test]
fn clinic_init_writes_a_profile_that_checks() {
    let dir = Dir::new();
    let out = dir
        .run(&["clinic", "init", "-o", "clinic.json"])
        .ok()
        .stdout();
    util::assert_starts_with(&out, "wrote clinic.json; replace the values marked UDFYLD");
    // Unedited, it is refused: no handout gets example contact details or a guessed region.
    let err = dir.run(&["check", "--clinic", "clinic.json"]).fails(1);
    util::assert_contains(
        &err,
        &[
            "the clinic profile has 5 problems",
            "region: still holds the template's UDFYLD placeholder",
        ],
    );
    let err = dir
        .build(&[
            "--region",
            "lumbar",
            "--clinic",
            "clinic.json",
            "-o",
            "x.pdf",
        ])
        .fails(1);
    util::assert_contains(&err, &["UDFYLD"]);
    let filled =
        pjece::clinic::filled_in(&std::fs::read_to_string(dir.path("clinic.json")).unwrap());
    dir.write("clinic.json", filled);
    let out = dir.run(&["check", "--clinic", "clinic.json"]).ok().stdout();
    util::assert_starts_with(
        &out,
        "clinic.json: ok: Fysioterapi Eksempel; Region Midtjylland: lægevagten på 70 11 31 31",
    );
    let err = dir.run(&["clinic", "init", "-o", "clinic.json"]).fails(1);
    util::assert_contains(
        &err,
        &[
            "clinic.json: already exists",
            "hint: use --force to replace it",
        ],
    );
}

#[test]
fn personal_blocks_appear_where_they_should() {
    let dir = Dir::new();
    let pdf = dir.handout(
        "lumbar",
        &[
            "--patient",
            "Åse Øberg",
            "--next",
            "2026-12-03 10:30",
            "--goal",
            "Gå 20 minutter hver dag",
            "--goal",
            "Cykle til arbejde igen",
            "--step",
            "Gå 5 minutter",
            "--step",
            "Gå 10 minutter",
            "--step",
            "Gå 20 minutter",
            "--step",
            "Cykle 10 minutter",
            "--qr",
            "https://eksempel.dk/oevelser",
        ],
        "p.pdf",
    );
    let first = page_text(&pdf, 1);
    util::assert_contains(&first, &["Næste tid: torsdag den 3. december kl. 10.30"]);
    let t = text(&pdf);
    util::assert_contains(
        &t,
        &[
            "Dine mål • Gå 20 minutter hver dag • Cykle til arbejde igen",
            "Din progressionsstige",
        ],
    );
    // The ladder is read from the top step down.
    util::assert_contains(
        &t,
        &[
            "Trin 5 Trin 4 Cykle 10 minutter Trin 3 Gå 20 minutter Trin 2 Gå 10 minutter Trin 1 Gå 5 minutter",
            "https://eksempel.dk/oevelser",
        ],
    );
    let (dine, stige, online) = (
        t.find("Dine mål").unwrap(),
        t.find("Din progressionsstige").unwrap(),
        t.find("Mere hjælp online").unwrap(),
    );
    assert!(
        t.find("Gode råd til dig").unwrap() < dine && dine < stige && stige < online,
        "after the guideline, in order"
    );

    let t = text(&dir.handout("nakke", &["--blank-goals", "--ladder"], "b.pdf"));
    util::assert_contains(
        &t,
        &[
            "Skriv dine mål her, gerne sammen med din fysioterapeut:",
            "Trin 5 Trin 4 Trin 3 Trin 2 Trin 1",
        ],
    );
    let none = text(&dir.handout("nakke", &[], "n.pdf"));
    util::assert_lacks(&none, &["Dine mål", "Din progressionsstige", "Næste tid"]);
}

#[test]
fn personal_fields_are_checked_too() {
    let dir = Dir::new();
    let long_goal = "x".repeat(121);
    // What `build --region lumbar -o x.pdf` is given besides, its exit code and what it says.
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["--next", "3/12 kl 10"],
            2,
            "is not a date and time; use YYYY-MM-DD HH:MM",
        ),
        (&["--next", "2026-12-03 25:00"], 2, "is not a date and time"),
        (
            &["--qr", "eksempel.dk"],
            1,
            "--qr must be a web address starting with https:// (or http://)",
        ),
        (
            &["--qr", "https://"],
            1,
            "--qr has no host name after the https://",
        ),
        (
            &["--qr", "https://eksempel.dk/a b"],
            1,
            "--qr contains a space",
        ),
        (
            &["--goal", &long_goal],
            1,
            "--goal is 121 characters long; at most 120",
        ),
    ];
    for (extra, code, says) in cases {
        let mut args = vec!["--region", "lumbar", "-o", "x.pdf"];
        args.extend_from_slice(extra);
        let err = dir.build(&args).fails(code);
        assert!(err.contains(says), "{extra:?}: {err}");
    }
    let mut args = vec!["build", "--region", "lumbar", "-o", "x.pdf"];
    for _ in 0..7 {
        args.extend(["--step", "Gå"]);
    }
    let err = dir.run(&args).fails(1);
    assert_eq!(
        err,
        "pjece: 7 ladder steps given; at most 6 fit on the handout\n"
    );
    assert!(!dir.path("x.pdf").exists());
}

#[test]
fn large_print_is_larger_and_keeps_everything() {
    let dir = Dir::new();
    let lines = |p: &Path| {
        let out = std::process::Command::new("pdftotext")
            .args([p.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
    };
    for region in ["lumbar", "cervical"] {
        let normal = dir.handout(region, &[], "n.pdf");
        let large = dir.handout(region, &["--large-print"], "l.pdf");
        // The same words, on more and shorter lines (the layout rules are checked on the
        // layout data in the unit tests, for both regions and variants).
        let words = |p: &Path| {
            text(p)
                .split(' ')
                .filter(|w| !w.starts_with("Side") && w.parse::<u32>().is_err())
                .count()
        };
        let (n, l) = (words(&normal), words(&large));
        // Each extra page repeats the running header and the footer (13 words counted).
        let pages = |p: &Path| util::info(p)["Pages"].parse::<usize>().unwrap();
        let extra = pages(&large).saturating_sub(pages(&normal));
        assert!(
            n.abs_diff(l) < 40 + 15 * extra,
            "{region}: {n} vs {l} words, {extra} more pages"
        );
        assert!(
            lines(&large) > lines(&normal),
            "{region}: {} vs {} lines",
            lines(&large),
            lines(&normal)
        );
    }
}

#[test]
fn the_therapist_guide_has_the_other_half() {
    let dir = Dir::new();
    let pdf = dir.handout("lumbar", &["--audience", "therapist"], "t.pdf");
    assert_eq!(
        util::info(&pdf)["Title"],
        "Samtaleguide til fysioterapeuten: Nerverodspåvirkning i lænden"
    );
    let t = text(&pdf);
    util::assert_contains(
        &t,
        &[
            "Sæt rammen for hvilke behandlingsmuligheder",
            "Fysioterapeuten bør lytte til",
            "nociceptorer",
            "differentiere mellem nociceptive,¹ neuropatiske² og nociplastiske smerter³",
            "1 Nociceptive smerter: skyldes aktivering af smertereceptorer",
            "3 Nociplastiske smerter:",
            "Observer og spørg ind til strategier:",
            "Brug evt. TAK-modellen som samtaleredskab",
            "Indgå i dialog med patienten",
            "videre udredning",
            "Søg læge med det samme, hvis du",
            "Råd til patienten (id'er til --advice og --omit)",
            "hold-dig-aktiv: Hold dig fysisk aktiv",
            "sund-vaegt: Opnå eller bevar sund vægt",
        ],
    );
    // The footnotes sit on the page that refers to them.
    let page = (1..=pages(&pdf))
        .find(|&p| page_text(&pdf, p).contains("nociceptive,¹"))
        .unwrap();
    assert!(page_text(&pdf, page).contains("1 Nociceptive smerter"));
    let links: Vec<String> = objects(&pdf)
        .iter()
        .filter(|o| o["/Subtype"] == "/Link")
        .filter_map(|o| o["/A"]["/URI"].as_str().map(String::from))
        .collect();
    // The link text and each line of the printed address lead to the TAK model.
    assert_eq!(links.len(), 3, "{links:?}");
    assert!(
        links
            .iter()
            .all(|l| l.ends_with("tak-fordi-du-sporger-kursus/tak-model.pdf")),
        "{links:?}"
    );
    // On paper the address is printed, broken only after a '/'.
    util::assert_contains(
        &t,
        &[
            "https://www.fagperson.hospitalsenhedmidt.dk/siteassets/afdelinger/center-for-planlagt-kirurgi/ gammel-side/forskningsenheden/tak-fordi-du-sporger-kursus/tak-model.pdf",
        ],
    );
    let notes = objects(&pdf).iter().filter(|o| o["/S"] == "/Note").count();
    assert_eq!(notes, 3, "footnotes are tagged as notes");
    assert_eq!(util::info(&pdf)["Tagged"], "yes");
    // A neck guide has no lumbar-only advice.
    let t = text(&dir.handout("nakke", &["--audience", "therapist"], "tc.pdf"));
    util::assert_lacks(&t, &["sund-vaegt"]);
    // Options only a patient handout prints are refused, not silently ignored.
    for (option, value) in [
        ("--advice", "tag-ansvar"),
        ("--note", "Hej"),
        ("--goal", "Gå"),
    ] {
        let err = dir
            .build(&[
                "--region",
                "nakke",
                "--audience",
                "therapist",
                option,
                value,
                "-o",
                "tx.pdf",
            ])
            .fails(1);
        util::assert_contains(&err, &[&format!("{option} is for the patient handout")]);
    }
    assert!(!dir.path("tx.pdf").exists());
}
