//! `--pdfa`: archival PDF/A-2a files that stay PDF/UA-1, from `build`, from `batch` (the separate
//! handouts and the streamed combined file), and nothing of it without the flag. Each file is
//! read back with qpdf: the XMP identification (`pdfaid:part` 2, `pdfaid:conformance` A, the
//! PDF/UA extension schema PDF/A asks for) and the sRGB output intent in the catalog. When the
//! project's validators are at hand (`PJECE_VALIDATORS`, default /tmp/venv), page-validation's
//! PDF/A-2a and PDF/UA-1 profiles check the files too.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use util::{Dir, objects};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// A lumbar handout with the fixture clinic's logo and a QR code.
fn build(dir: &Dir, name: &str, extra: &[&str]) -> PathBuf {
    let clinic = fixture("clinic.json");
    let mut args = vec![
        "build",
        "--region",
        "lumbar",
        "--date",
        "2026-11-26",
        "--patient",
        "Ærø, Søren",
        "--qr",
        "https://fysio-eksempel.dk/traening",
        "--clinic",
        &clinic,
        "-o",
        name,
    ];
    args.extend_from_slice(extra);
    dir.run(&args).ok();
    dir.path(name)
}

/// Three patients (both regions, one short) as a batch into `out` with a duplex combined file.
fn batch(dir: &Dir, extra: &[&str]) -> PathBuf {
    std::fs::write(
        dir.path("rows.csv"),
        "navn;region;variant\n\"Ærø, Søren\";lænd;\nÅse Holm;nakke;kort\nMads Kjær;lænd;\n",
    )
    .unwrap();
    let clinic = fixture("clinic.json");
    let mut args = vec![
        "--combined",
        "alle.pdf",
        "--duplex",
        "--quiet",
        "--clinic",
        &clinic,
    ];
    args.extend_from_slice(extra);
    util::batch(dir, "rows.csv", &args).ok();
    dir.path("alle.pdf")
}

/// The document's XMP metadata packet, read with qpdf (the stream is never compressed, as
/// PDF/A asks, but may sit anywhere in the file).
fn xmp(pdf: &Path) -> String {
    let catalog = objects(pdf)
        .into_iter()
        .find(|o| o["/Type"] == "/Catalog")
        .expect("a catalog");
    let metadata = catalog["/Metadata"]
        .as_str()
        .expect("catalog has /Metadata");
    let id = metadata.trim_end_matches(" R").replace(" 0", ",0");
    let out = Command::new("qpdf")
        .arg(format!("--show-object={id}"))
        .arg("--filtered-stream-data")
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("XMP is UTF-8")
}

/// The catalog's output intents, each with its profile's stream dictionary.
fn output_intents(pdf: &Path) -> Vec<(Value, Value)> {
    let all = json(pdf);
    let get = |r: &str| {
        let o = &all[format!("obj:{r}")];
        o.get("value")
            .or_else(|| o.get("stream").and_then(|s| s.get("dict")))
            .cloned()
            .unwrap_or_default()
    };
    let catalog = objects(pdf)
        .into_iter()
        .find(|o| o["/Type"] == "/Catalog")
        .expect("a catalog");
    let Some(intents) = catalog.get("/OutputIntents") else {
        return Vec::new();
    };
    let intents = match intents {
        Value::String(r) => get(r),
        other => other.clone(),
    };
    intents
        .as_array()
        .expect("/OutputIntents is an array")
        .iter()
        .map(|i| {
            let intent = match i {
                Value::String(r) => get(r),
                other => other.clone(),
            };
            let profile = get(intent["/DestOutputProfile"].as_str().expect("a profile"));
            (intent, profile)
        })
        .collect()
}

fn json(pdf: &Path) -> Value {
    let out = Command::new("qpdf")
        .args(["--json", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf prints JSON");
    json["qpdf"][1].clone()
}

fn assert_archival(pdf: &Path) {
    let xmp = xmp(pdf);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    // PDF/A allows pdfuaid only when an extension schema declares it.
    assert!(
        xmp.contains("pdfaExtension:schemas") && xmp.contains("http://www.aiim.org/pdfua/ns/id/"),
        "{xmp}"
    );
    let intents = output_intents(pdf);
    assert_eq!(intents.len(), 1, "{}", pdf.display());
    let (intent, profile) = &intents[0];
    assert_eq!(intent["/S"], "/GTS_PDFA1");
    assert_eq!(profile["/N"], 3, "an RGB profile: {profile}");
}

fn assert_not_archival(pdf: &Path) {
    let xmp = xmp(pdf);
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(!xmp.contains("pdfaid:"), "{xmp}");
    assert!(!xmp.contains("pdfaExtension"), "{xmp}");
    assert!(output_intents(pdf).is_empty(), "{}", pdf.display());
}

#[test]
fn build_with_pdfa_claims_pdfa_2a_and_has_an_srgb_output_intent() {
    let dir = Dir::new();
    let pdf = build(&dir, "a.pdf", &["--pdfa"]);
    assert_archival(&pdf);
    validate(&pdf);
}

#[test]
fn without_pdfa_a_handout_claims_only_pdf_ua_and_is_as_before() {
    let dir = Dir::new();
    let plain = build(&dir, "plain.pdf", &[]);
    assert_not_archival(&plain);
    // The same handout with --pdfa differs only by what PDF/A adds: the same pages and text.
    let archival = build(&dir, "a.pdf", &["--pdfa"]);
    assert_eq!(util::text(&plain), util::text(&archival));
    assert_eq!(
        util::info(&plain).get("Pages"),
        util::info(&archival).get("Pages")
    );
    // And a second plain build is the same file, byte for byte.
    let again = build(&dir, "again.pdf", &[]);
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn batch_with_pdfa_makes_archival_handouts_and_combined_file() {
    let dir = Dir::new();
    let combined = batch(&dir, &["--pdfa"]);
    assert_archival(&combined);
    let handouts = dir.handouts();
    assert_eq!(handouts.len(), 3, "{handouts:?}");
    for name in &handouts {
        assert_archival(&dir.path("out").join(name));
    }
    validate(&combined);
    validate(&dir.path("out").join(&handouts[0]));
}

#[test]
fn batch_without_pdfa_is_not_archival() {
    let dir = Dir::new();
    let combined = batch(&dir, &[]);
    assert_not_archival(&combined);
    let handouts = dir.handouts();
    assert_not_archival(&dir.path("out").join(&handouts[0]));
}

/// page-validation's PDF/A-2a and PDF/UA-1 profiles, when the validators are installed.
fn validate(pdf: &Path) {
    let venv = std::env::var_os("PJECE_VALIDATORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/venv"));
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!(
            "skipped: no validators at {} (set PJECE_VALIDATORS)",
            venv.display()
        );
        return;
    }
    let script = format!(
        "import page\n\
         for p in ('PDF_A_2A', 'PDF_UA_1'):\n    \
             r = page.validate_pdf({file:?}, profile=getattr(page.ValidationProfile, p))\n    \
             assert r.is_compliant, (p, [(f.rule_id, f.message) for f in r.failures])\n\
         print('compliant')",
        file = pdf.to_str().unwrap()
    );
    let out = Command::new(python).args(["-c", &script]).output().unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_cmyk_logo_is_the_profiles_error_with_pdfa_and_fine_without() {
    // PDF/A allows CMYK only with a CMYK output intent; the pages are RGB.
    let dir = Dir::new();
    std::fs::copy(fixture("logo-cmyk.jpg"), dir.path("logo.jpg")).unwrap();
    std::fs::write(
        dir.path("c.json"),
        r#"{"name": "Klinik", "logo": "logo.jpg", "logo_alt": "Klinikkens logo"}"#,
    )
    .unwrap();
    let args = |pdfa: bool| {
        let mut a = vec![
            "build",
            "--region",
            "lumbar",
            "--date",
            "2026-11-26",
            "--clinic",
            "c.json",
            "-o",
            "x.pdf",
        ];
        if pdfa {
            a.push("--pdfa");
        }
        a
    };
    let err = dir.run(&args(true)).fails(1);
    assert!(
        err.contains(
            "c.json: logo: logo.jpg: is a CMYK image, which an archival PDF/A file (--pdfa) \
             cannot hold; save it as RGB"
        ),
        "{err}"
    );
    assert!(!dir.path("x.pdf").exists());
    dir.run(&args(false)).ok();
    assert!(dir.path("x.pdf").exists());
}
