//! The clinic profile: who made the handout and whom to call. One JSON file (comments allowed,
//! so `pjece clinic init` can explain every field), read once per run.
//!
//! A leaf of the pipeline: what the profile is checked against (the content's regions and
//! words, the fonts) comes in as plain data, [`Known`], so it imports none of the stages.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::chars;
use crate::color::{self, Color};
use crate::error::{Error, Problem, io_reason};
use crate::files::{self, ReadError};
use crate::fonts::{FontSet, Weight};
use crate::image::Logo;
use crate::out_of_hours::{CareRegion, OutOfHours};

/// Longest clinic text field, in characters: each is a line of the contact block.
pub const MAX_FIELD_CHARS: usize = 120;
/// Accent colours must reach WCAG 2.1's 4.5:1 on white, like all text.
pub const MIN_CONTRAST: f32 = 4.5;

/// The profile as written in the file (its shape is checked first, in `parse`).
#[derive(Debug, Clone, Default, Deserialize)]
struct Raw {
    name: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    logo: Option<String>,
    logo_alt: Option<String>,
    accent_color: Option<String>,
    region: Option<String>,
    qr_url: Option<String>,
}

/// The fields of a profile, for the message about an unknown one.
const FIELDS: [&str; 10] = [
    "name",
    "address",
    "phone",
    "email",
    "website",
    "logo",
    "logo_alt",
    "accent_color",
    "region",
    "qr_url",
];

/// The text fields that are not printed, so need no glyphs.
const NOT_PRINTED: [&str; 2] = ["logo", "logo_alt"];

/// A validated clinic profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clinic {
    /// The clinic's name.
    pub name: Option<String>,
    /// The address.
    pub address: Option<String>,
    /// Phone, e-mail and website, in that order, as given.
    pub contact: Vec<String>,
    /// The e-mail address (also in `contact`), to link it where it is printed.
    pub email: Option<String>,
    /// The website (also in `contact`), to link it where it is printed.
    pub website: Option<String>,
    /// The logo.
    pub logo: Option<Logo>,
    /// Colour of the title and headings.
    pub accent: Option<Color>,
    /// The Danish region's out-of-hours service.
    pub region: Option<CareRegion>,
    /// Where the QR code points.
    pub qr_url: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
}

/// The profile found in the user's configuration directory, if there is one:
/// `$XDG_CONFIG_HOME/pjece/clinic.json`, else `~/.config/pjece/clinic.json`.
pub fn default_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
    };
    let path = base.join("pjece").join("clinic.json");
    // One that is there but no file is refused when read, not passed over.
    path.exists().then_some(path)
}

/// Largest profile file accepted; the template is 2 KB.
pub const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// What a profile is checked against, from the content and fonts the handouts are made with.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The Danish regions a profile may name, with whom each calls out of hours.
    pub out_of_hours: &'a OutOfHours,
    /// The logo's description when the profile gives none (the content's `logo_alt` label).
    pub logo_alt: &'a str,
    /// The fonts the handouts are set in: every printed field must be in letters they have.
    pub fonts: &'a FontSet,
}

/// Reads and checks a profile; every problem is reported with the field it concerns.
pub fn load(path: &Path, known: &Known) -> Result<Clinic, Error> {
    let shown = path.display().to_string();
    let problem = |field: &str, message: String| Problem {
        file: shown.clone(),
        path: field.to_string(),
        message,
    };
    let bytes = files::read(path, MAX_PROFILE_BYTES).map_err(|e| {
        let reason = match e {
            ReadError::TooLarge(_) => "is larger than 1 MB; is it the right file?".into(),
            e => e.reason("a JSON file", ""),
        };
        Error::InvalidClinic(vec![problem("", reason)])
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::InvalidClinic(vec![problem("", "is not UTF-8; save it as UTF-8".into())])
    })?;
    let named = |problems: FieldProblems| -> Vec<Problem> {
        problems
            .into_iter()
            .map(|(field, message)| problem(&field, message))
            .collect()
    };
    let (raw, unknown) = parse(&text).map_err(|p| Error::InvalidClinic(named(p)))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let checked = check(raw, base, known);
    let mut problems = named(unknown);
    match checked {
        Ok(c) if problems.is_empty() => Ok(Clinic {
            path: path.to_path_buf(),
            ..c
        }),
        Ok(_) => Err(Error::InvalidClinic(problems)),
        Err(more) => {
            problems.extend(
                more.into_iter()
                    .map(|(field, message)| problem(field, message)),
            );
            Err(Error::InvalidClinic(problems))
        }
    }
}

/// A JSON value's kind in plain words, for "must be text, not ...".
fn kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list [ ]",
        Value::Object(_) => "a group of fields { }",
    }
}

/// Problems as (field, message); the field is empty for the file as a whole.
type FieldProblems = Vec<(String, String)>;

/// The profile's fields and its unknown ones (problems, but they do not hide the others), or
/// what is wrong with its shape, named by field in plain words.
fn parse(text: &str) -> Result<(Raw, FieldProblems), FieldProblems> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut json = String::new();
    // Comments become spaces, so line and column numbers stay right.
    std::io::Read::read_to_string(
        &mut json_comments::StripComments::new(text.as_bytes()),
        &mut json,
    )
    .map_err(|e| vec![(String::new(), io_reason(&e))])?;
    let whole = |message: String| vec![(String::new(), message)];
    const SHAPE: &str =
        "a JSON object: fields such as \"name\": \"Fysioterapi Eksempel\" between { and }";
    if json.trim().is_empty() {
        return Err(whole(format!("is empty; a clinic profile is {SHAPE}")));
    }
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| whole(format!("is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(whole(format!("must be {SHAPE}, not {}", kind(&value))));
    }
    // Read again as a list of fields: a field given twice must not pass with one value unseen.
    let Entries(entries) = serde_json::from_str(&json).map_err(|e| whole(e.to_string()))?;
    let mut problems = Vec::new();
    let mut misshapen = false;
    let mut fields = serde_json::Map::new();
    for (field, value) in entries {
        if !FIELDS.contains(&field.as_str()) {
            problems.push((
                field,
                format!(
                    "is not a field of a clinic profile; the fields are: {}",
                    FIELDS.join(", ")
                ),
            ));
        } else if fields.contains_key(&field) {
            misshapen = true;
            problems.push((field, "is given twice; keep one".into()));
        } else if !(value.is_string() || value.is_null()) {
            misshapen = true;
            let message = format!("must be text in quotes, not {}", kind(&value));
            problems.push((field, message));
        } else {
            fields.insert(field, value);
        }
    }
    if misshapen {
        return Err(problems);
    }
    let raw = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| whole(e.to_string()))?;
    Ok((raw, problems))
}

/// An object's fields in the order written, repeats kept.
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// The template's mark for a value still to be filled in.
const PLACEHOLDER: &str = "still holds the template's UDFYLD placeholder; fill in the clinic's own value, or delete the line";

fn is_placeholder(value: &str) -> bool {
    value.to_uppercase().starts_with("UDFYLD")
}

fn check(raw: Raw, base: &Path, known: &Known) -> Result<Clinic, Vec<(&'static str, String)>> {
    let fonts = known.fonts;
    let mut problems = Vec::new();
    let mut text = |field: &'static str, value: Option<String>| -> Option<String> {
        let value = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())?;
        if is_placeholder(&value) {
            problems.push((field, PLACEHOLDER.into()));
        }
        if let Some((c, why)) = chars::forbidden(&value, false) {
            problems.push((field, format!("contains {}, {why}", chars::describe(c))));
        }
        let n = value.chars().count();
        if n > MAX_FIELD_CHARS {
            problems.push((
                field,
                format!("is {n} characters long; at most {MAX_FIELD_CHARS} fit"),
            ));
        }
        // The clinic's lines are set in the regular face (contact block, QR caption); the logo's
        // path and description are never printed.
        if !NOT_PRINTED.contains(&field)
            && let Some(c) = fonts.first_missing(Weight::Regular, &value)
        {
            problems.push((
                field,
                format!(
                    "contains {}, a letter in none of the fonts ({}, and the fallback {}); \
                     write it in letters they have, or use fonts that have it (--fonts)",
                    chars::describe(c),
                    fonts.regular.name,
                    fonts.fallback_regular.name
                ),
            ));
        }
        Some(value)
    };
    let name = text("name", raw.name);
    let address = text("address", raw.address);
    let phone = text("phone", raw.phone);
    let email = text("email", raw.email);
    let website = text("website", raw.website);
    let logo_alt = text("logo_alt", raw.logo_alt);
    let qr_url = text("qr_url", raw.qr_url);
    let logo_path = text("logo", raw.logo);
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(char::is_whitespace))
    {
        problems.push(("email", "is not an e-mail address".into()));
    }
    for (field, url) in [("website", &website), ("qr_url", &qr_url)] {
        if let Some(problem) = url.as_deref().and_then(crate::web::problem) {
            problems.push((field, problem));
        }
    }
    let accent = match given(&raw.accent_color) {
        None => None,
        Some(s) => match Color::from_hex(s) {
            None => {
                problems.push((
                    "accent_color",
                    format!("'{s}' is not a colour; write it as #RRGGBB, e.g. #0B3A66"),
                ));
                None
            }
            Some(c) => {
                let contrast = c.contrast(color::WHITE);
                if contrast < MIN_CONTRAST {
                    problems.push((
                        "accent_color",
                        format!("{s} has a contrast of {contrast:.1}:1 on white; headings need at least {MIN_CONTRAST}:1 (WCAG 2.1), so choose a darker colour"),
                    ));
                }
                Some(c)
            }
        },
    };
    let region = match given(&raw.region) {
        None => None,
        Some(r) if is_placeholder(r) => {
            problems.push(("region", PLACEHOLDER.into()));
            None
        }
        Some(r) => match known.out_of_hours.find(r) {
            Some(region) => Some(region.clone()),
            None => {
                let ids: Vec<&str> = known
                    .out_of_hours
                    .regions
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect();
                problems.push((
                    "region",
                    format!(
                        "'{r}' is not a Danish region; use one of: {}",
                        ids.join(", ")
                    ),
                ));
                None
            }
        },
    };
    let logo = logo_path.and_then(|p| {
        let alt = logo_alt.clone().unwrap_or_else(|| match &name {
            Some(n) => format!("{}: {n}", known.logo_alt),
            None => known.logo_alt.to_string(),
        });
        match Logo::read(&base.join(&p), p.clone(), alt) {
            Ok(logo) => Some(logo),
            Err(message) => {
                problems.push(("logo", format!("{p}: {message}")));
                None
            }
        }
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let contact = [phone, email.clone(), website.clone()]
        .into_iter()
        .flatten()
        .collect();
    Ok(Clinic {
        name,
        address,
        contact,
        email,
        website,
        logo,
        accent,
        region,
        qr_url,
        path: PathBuf::new(),
    })
}

/// The starting profile `pjece clinic init` writes: every field, explained.
pub const TEMPLATE: &str = r##"// pjece clinic profile. Every field is optional; delete what you do not need.
// Lines starting with // are comments. Check it with: pjece check --clinic clinic.json
//
// Replace every value that starts with UDFYLD ("fill in"): pjece refuses a profile that
// still holds one, so no handout is ever printed with example contact details.
{
  // The clinic's name, shown with the contact details at the end of every handout.
  "name": "UDFYLD klinikkens navn",

  // Contact details ("Din fysioterapeut"), so patients know whom to contact.
  "address": "UDFYLD adresse, postnummer og by",
  "phone": "UDFYLD telefonnummer",
  "email": "UDFYLD@e-mail.dk",
  // "website": "https://www.eksempel.dk",

  // A PNG or JPEG logo (path relative to this file), scaled to fit the header,
  // and a description of it for screen readers.
  // "logo": "logo.png",
  // "logo_alt": "Klinikkens logo",

  // Colour of the title and headings, as #RRGGBB. It must have a contrast of at
  // least 4.5:1 on white (WCAG 2.1); pjece refuses lighter colours.
  "accent_color": "#0B3A66",

  // The clinic's Danish region: picks the out-of-hours number printed in the
  // red-flag box. One of: hovedstaden, sjaelland, syddanmark, midtjylland, nordjylland.
  "region": "UDFYLD regionen"

  // A web address for a QR code at the end of every handout (your digital version of
  // the leaflet or the exercise programme), printed under the code as well.
  // ,"qr_url": "https://www.eksempel.dk/traening"
}
"##;

/// A field's value with blanks around it removed; `None` when it is missing or blank.
fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// [`TEMPLATE`] (or a file `pjece clinic init` wrote) with every `UDFYLD` placeholder filled
/// in for a fictional clinic in Midtjylland: for tests of the template, here and in tests/.
#[doc(hidden)]
pub fn filled_in(template: &str) -> String {
    template
        .replace("UDFYLD klinikkens navn", "Fysioterapi Eksempel")
        .replace(
            "UDFYLD adresse, postnummer og by",
            "Eksempelvej 1, 8000 Aarhus C",
        )
        .replace("UDFYLD telefonnummer", "12 34 56 78")
        .replace("UDFYLD@e-mail.dk", "kontakt@eksempel.dk")
        .replace("UDFYLD regionen", "midtjylland")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile read as the CLI reads it: with the embedded content and fonts.
    fn load(path: &Path) -> Result<Clinic, Error> {
        let content = crate::content::Content::embedded().unwrap();
        crate::load_clinic(path, &content, &FontSet::embedded())
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn the_template_must_be_filled_in_and_then_is_a_valid_profile() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(&write(dir.path(), "clinic.json", TEMPLATE))
            .unwrap_err()
            .to_string();
        for field in ["name", "address", "phone", "email", "region"] {
            assert!(
                e.contains(&format!(
                    "{field}: still holds the template's UDFYLD placeholder"
                )),
                "{field}: {e}"
            );
        }
        let filled = filled_in(TEMPLATE);
        let c = load(&write(dir.path(), "clinic.json", &filled)).unwrap();
        assert_eq!(c.name.as_deref(), Some("Fysioterapi Eksempel"));
        assert_eq!(c.region.unwrap().call, "lægevagten på 70 11 31 31");
        assert_eq!(c.accent, Some(Color(0x0B, 0x3A, 0x66)));
        assert_eq!(c.contact.len(), 2);
        assert!(c.address.is_some());
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "logo.png", "not an image");
        let p = write(
            dir.path(),
            "c.json",
            r##"{"accent_color": "#FF0000", "region": "Fyn", "logo": "logo.png", "email": "nope", "qr_url": "ftp://x"}"##,
        );
        let e = load(&p).unwrap_err().to_string();
        for says in [
            "accent_color: #FF0000 has a contrast of 4.0:1 on white; headings need at least 4.5:1",
            "region: 'Fyn' is not a Danish region; use one of: hovedstaden, sjaelland",
            "logo: logo.png: is not a PNG or JPEG image",
            "email: is not an e-mail address",
            "qr_url: must be a web address",
        ] {
            assert!(e.contains(says), "{says}: {e}");
        }
        // An unknown field does not hide the other problems.
        let p = write(
            dir.path(),
            "d.json",
            r##"{"colour": "#000000", "accent_color": "#FF0000"}"##,
        );
        let e = load(&p).unwrap_err().to_string();
        for says in [
            "has 2 problems",
            "d.json: colour: is not a field of a clinic profile; the fields are: name, address",
            "accent_color: #FF0000 has a contrast of 4.0:1",
        ] {
            assert!(e.contains(says), "{says}: {e}");
        }
    }
}
