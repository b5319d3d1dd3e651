//! Stage 2: a physiotherapist's choices turn the content into the blocks of one handout
//! (a [`Handout`], which layout sets on pages).
//!
//! The rules no choice can break live here: the red-flag box for the region is always
//! included, first, with its warning signs and call (`red_flags`); therapist-only text never
//! reaches a patient handout; an id that is unknown or not valid for the region is an error
//! that lists the valid ids (`ids`); and every personal field is checked against its limit
//! (`personal`, `limits`).

mod contact;
mod ids;
mod limits;
mod personal;
mod red_flags;
mod therapist;

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::clinic::Clinic;
use crate::content::markup::{self, Inline};
use crate::content::{
    Audience, Block as ContentBlock, BlockKind, Content, Element, Item, Region, Shown, Variant,
};
use crate::error::Error;
use crate::field::Field;
use crate::handout::{Block, BlockStyle, Handout, Piece, Rich, Span};
use crate::out_of_hours::CareRegion;
pub use ids::advice_ids;
pub use limits::{
    BLANK_GOAL_LINES, BLANK_STEPS, MAX_GOALS, MAX_ITEM_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS,
    MAX_NOTE_LINES, MAX_STEPS, MAX_URL_CHARS,
};
pub use personal::appointment;

/// What the therapist chose for one patient.
#[derive(Debug, Clone)]
pub struct Choices {
    /// The region.
    pub region: Region,
    /// Full or short (PIXI) wording.
    pub variant: Variant,
    /// Only these advice ids, when given.
    pub advice: Option<Vec<String>>,
    /// Advice or block ids to leave out.
    pub omit: Vec<String>,
    /// The patient's name.
    pub patient: Option<String>,
    /// The therapist's name.
    pub therapist: Option<String>,
    /// The handout's date.
    pub date: Date,
    /// A short personal note from the therapist.
    pub note: Option<String>,
    /// The patient's goals ("Dine mål").
    pub goals: Vec<String>,
    /// Empty lines for goals written by hand.
    pub blank_goals: bool,
    /// Steps of the progression ladder, lowest first.
    pub steps: Vec<String>,
    /// An empty ladder to fill in by hand (when no steps are given).
    pub ladder: bool,
    /// The next appointment.
    pub next: Option<jiff::civil::DateTime>,
    /// Address for a QR code, instead of the clinic's.
    pub qr_url: Option<String>,
    /// No QR code, not even the clinic's.
    pub no_qr: bool,
    /// Large print: 18 pt body text.
    pub large_print: bool,
    /// A patient handout, or the therapist's conversation guide.
    pub audience: Audience,
}

impl Choices {
    /// Choices with every default: all advice, no personal fields.
    pub fn new(region: Region, date: Date) -> Choices {
        Choices {
            region,
            variant: Variant::Full,
            advice: None,
            omit: Vec::new(),
            patient: None,
            therapist: None,
            date,
            note: None,
            goals: Vec::new(),
            blank_goals: false,
            steps: Vec::new(),
            ladder: false,
            next: None,
            qr_url: None,
            no_qr: false,
            large_print: false,
            audience: Audience::Patient,
        }
    }
}

/// The fields only a patient handout prints: everything about one patient and the choice of
/// advice. The therapist's guide is not a patient's document, so it refuses them (a name in it
/// would put patient data on a page meant for any patient). Every edge asks this one rule.
pub const PATIENT_ONLY: &[Field] = &[
    Field::Patient,
    Field::Advice,
    Field::Omit,
    Field::Note,
    Field::Goals,
    Field::BlankGoals,
    Field::Steps,
    Field::Ladder,
    Field::Next,
    Field::Qr,
    Field::NoQr,
];

/// Whether the therapist's guide takes `field` (see [`PATIENT_ONLY`]).
pub fn in_therapist_guide(field: Field) -> bool {
    !PATIENT_ONLY.contains(&field)
}

impl Choices {
    /// Whether `field` is given (set away from its default). Region, variant, date and
    /// audience always have a value, so they always count as given.
    pub fn given(&self, field: Field) -> bool {
        match field {
            Field::Patient => self.patient.is_some(),
            Field::Therapist => self.therapist.is_some(),
            Field::Advice => self.advice.is_some(),
            Field::Omit => !self.omit.is_empty(),
            Field::Note => self.note.is_some(),
            Field::Goals => !self.goals.is_empty(),
            Field::BlankGoals => self.blank_goals,
            Field::Steps => !self.steps.is_empty(),
            Field::Ladder => self.ladder,
            Field::Next => self.next.is_some(),
            Field::Qr => self.qr_url.is_some(),
            Field::NoQr => self.no_qr,
            Field::LargePrint => self.large_print,
            Field::Region | Field::Variant | Field::Date | Field::Audience => true,
        }
    }
}

/// The first field given that the therapist's guide does not take; nothing is silently ignored.
fn patient_only_field(c: &Choices) -> Option<Field> {
    PATIENT_ONLY.iter().copied().find(|&f| c.given(f))
}

/// The content's title without region wording or markup (for files holding many handouts).
pub fn plain_title(content: &Content) -> String {
    markup::plain(&content.guideline.meta.title.full)
}

/// Turns content and choices into a handout; `clinic` adds its logo, contact block and the
/// out-of-hours number of its region.
pub fn select(
    content: &Content,
    clinic: Option<&Clinic>,
    choices: &Choices,
) -> Result<Handout, Error> {
    // Before the fields are checked: a patient's field in the guide is refused whatever it holds.
    if choices.audience == Audience::Therapist
        && let Some(field) = patient_only_field(choices)
    {
        return Err(Error::NotInTherapistGuide { field });
    }
    let fields = personal::Fields::check(choices, clinic)?;
    if choices.audience == Audience::Therapist {
        return therapist::select(content, clinic, choices, &fields);
    }
    let Choices {
        region, variant, ..
    } = *choices;
    let labels = &content.labels;
    let (chosen, omitted) = ids::check_ids(content, choices)?;

    let call = clinic.and_then(|c| c.region.as_ref());
    // The box first, whatever the content's order; the note right after it, as a long note
    // first could push the box off page 1.
    let mut blocks = vec![red_flags::red_flag_box(
        content,
        region,
        variant,
        Audience::Patient,
        call,
        rich,
    )?];
    if let Some(note) = &fields.note {
        blocks.push(Block {
            id: "note".into(),
            field: Some(Field::Note),
            style: BlockStyle::Note,
            heading: labels.note_heading.clone(),
            pieces: note
                .split('\n')
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| Piece::Paragraph(vec![Span::text(line, false)]))
                .collect(),
        });
    }
    for block in content.patient_blocks(region) {
        if block.kind == BlockKind::RedFlags || omitted.contains(block.id.as_str()) {
            continue;
        }
        let pieces = pieces(
            block,
            region,
            variant,
            chosen.as_ref(),
            &omitted,
            call,
            content,
        );
        if pieces.is_empty() {
            continue;
        }
        blocks.push(Block {
            id: block.id.clone(),
            field: None,
            style: BlockStyle::Plain,
            heading: markup::plain(block.heading.get(region, variant)),
            pieces,
        });
    }
    blocks.extend(personal::blocks(&fields, labels));
    blocks.extend(clinic.and_then(|c| contact::block(c, fields.therapist.as_deref(), labels)));
    Ok(frame(
        content,
        clinic,
        choices,
        &fields,
        markup::plain(content.guideline.meta.title.get(region, variant)),
        blocks,
    ))
}

/// The parts every handout shares: title, fields, running header and footer.
fn frame(
    content: &Content,
    clinic: Option<&Clinic>,
    choices: &Choices,
    fields: &personal::Fields,
    title: String,
    blocks: Vec<Block>,
) -> Handout {
    let g = &content.guideline;
    let labels = &content.labels;
    let running_header = match &fields.patient {
        Some(p) => format!("{title} · {p}"),
        None => title.clone(),
    };
    let content_date = g
        .meta
        .content_date
        .parse::<Date>()
        .map(|d| crate::dates::danish_date(d, &labels.months))
        .unwrap_or_else(|_| g.meta.content_date.clone());
    // Source and content version only (a safety rule: on every page); the clinic's contact
    // is a block of the body ([`contact`]), where it is read.
    let footer = vec![
        labels.source_line.replace("{source}", &g.meta.source),
        labels
            .version_line
            .replace("{version}", &g.meta.content_version)
            .replace("{date}", &content_date),
    ];
    let subtitle = match choices.audience {
        Audience::Therapist => Some(labels.therapist_subtitle.clone()),
        Audience::Patient => g
            .meta
            .subtitle
            .as_ref()
            .map(|s| markup::plain(s.get(choices.region, choices.variant))),
    };
    Handout {
        subtitle,
        title,
        language: g.meta.language.clone(),
        fields: fields.header(labels, choices.date),
        blocks,
        bullet: labels.bullet.clone(),
        blank_line: labels.blank_line.clone(),
        running_header,
        page_of: labels.page_of.clone(),
        footer,
        date: choices.date,
        logo: clinic.and_then(|c| c.logo.clone()),
        large_print: choices.large_print,
    }
}

/// The patient elements of a block for this region and variant, with advice filtered.
fn pieces(
    block: &ContentBlock,
    region: Region,
    variant: Variant,
    chosen: Option<&BTreeSet<&str>>,
    omitted: &BTreeSet<&str>,
    call: Option<&CareRegion>,
    content: &Content,
) -> Vec<Piece> {
    let mut out = Vec::new();
    for shown in block.shown(region, variant, Audience::Patient) {
        let advice = matches!(shown.element, Element::Advice(_));
        let items: Vec<&Item> = shown
            .items
            .iter()
            .copied()
            .filter(|i| {
                let id = i.id.as_deref().unwrap_or("");
                !omitted.contains(id) && (!advice || chosen.is_none_or(|c| c.contains(id)))
            })
            .collect();
        out.extend(render(&shown, &items, region, variant, call, content, rich));
    }
    out
}

/// The pieces one shown element is set as, with `items` for a list; a call names the clinic's
/// out-of-hours service when there is one.
fn render(
    shown: &Shown,
    items: &[&Item],
    region: Region,
    variant: Variant,
    call: Option<&CareRegion>,
    content: &Content,
    rich: fn(&str) -> Rich,
) -> Vec<Piece> {
    match shown.element {
        Element::Paragraph(p) => vec![Piece::Paragraph(rich(p.text.get(region, variant)))],
        Element::List(_) | Element::Advice(_) if items.is_empty() => Vec::new(),
        Element::List(_) | Element::Advice(_) => vec![Piece::List(
            items
                .iter()
                .map(|i| (i.id.clone(), rich(i.text.get(region, variant))))
                .collect(),
        )],
        Element::Call(c) => match call {
            Some(region_call) => {
                let text = c
                    .with_number
                    .get(region, variant)
                    .replace("{call}", &region_call.call);
                vec![
                    Piece::Paragraph(rich(&text)),
                    Piece::Paragraph(rich(&content.out_of_hours.emergency)),
                ]
            }
            None => vec![Piece::Paragraph(rich(c.text.get(region, variant)))],
        },
        Element::Footnote(f) => vec![Piece::Footnote {
            mark: f.mark.clone(),
            text: rich(f.text.get(region, variant)),
        }],
        Element::Link(l) => vec![Piece::Link {
            text: rich(l.text.get(region, variant)),
            url: l.url.clone(),
        }],
    }
}

fn rich(s: &str) -> Rich {
    // Markup was validated when the content was loaded; references cannot occur in patient text.
    markup::parse(s)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            Inline::Text { text, bold } => Some(Span::text(text, bold)),
            Inline::FootnoteRef(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handout::HeaderLine;
    use jiff::civil::date;

    fn content() -> Content {
        Content::embedded().unwrap()
    }

    fn all_text(h: &Handout) -> String {
        let mut s = String::new();
        for b in &h.blocks {
            s.push_str(&b.heading);
            for p in &b.pieces {
                let spans: Vec<&Rich> = match p {
                    Piece::Paragraph(r)
                    | Piece::Link { text: r, .. }
                    | Piece::Footnote { text: r, .. } => vec![r],
                    Piece::List(items) => items.iter().map(|(_, r)| r).collect(),
                    Piece::WriteLines(_) | Piece::Ladder(_) | Piece::Qr { .. } => vec![],
                };
                for r in spans {
                    for span in r {
                        s.push_str(&span.text);
                    }
                    s.push('\n');
                }
            }
        }
        s
    }

    fn choices(region: Region) -> Choices {
        Choices::new(region, date(2026, 11, 26))
    }

    /// One red-flag box, the first block, and laid out as the first block item on page 1.
    #[test]
    fn red_flags_always_present_and_first_alert() {
        let engine = crate::Engine::embedded().unwrap();
        let mut shaper = engine.shaper().unwrap();
        for region in Region::ALL {
            for variant in [Variant::Full, Variant::Short] {
                let mut c = choices(region);
                c.variant = variant;
                c.advice = Some(vec!["tag-ansvar".into()]);
                c.note = Some("Husk øvelserne".into());
                let h = select(&content(), None, &c).unwrap();
                let alerts: Vec<_> = h
                    .blocks
                    .iter()
                    .filter(|b| b.style == BlockStyle::Alert)
                    .collect();
                assert_eq!(alerts.len(), 1, "{region} {variant:?}");
                assert_eq!(h.blocks[0].style, BlockStyle::Alert, "{region} {variant:?}");
                // On page 1, the first content that belongs to a block is the box's.
                let d = engine.layout(&c, &mut shaper).unwrap();
                let block_of = |mut n: usize| loop {
                    match &d.nodes[n].kind {
                        crate::layout::NodeKind::Section { id, .. } => break Some(id.clone()),
                        _ => n = d.nodes.iter().position(|p| p.children.contains(&n))?,
                    }
                };
                let first = d.pages[0].items.iter().find_map(|p| match p.role {
                    crate::layout::Role::Content(n) => block_of(n),
                    _ => None,
                });
                assert_eq!(first, Some(h.blocks[0].id.clone()), "{region} {variant:?}");
            }
        }
    }

    /// The guide refuses each patient's field alone, naming it, and takes every other field.
    #[test]
    fn the_guide_refuses_each_patients_field_and_takes_the_rest() {
        let content = content();
        let url = "https://www.klinik.dk/oevelser".to_string();
        for &field in Field::ALL {
            let mut c = choices(Region::Lumbar);
            c.audience = Audience::Therapist;
            match field {
                Field::Patient => c.patient = Some("Karin Holm".into()),
                Field::Therapist => c.therapist = Some("Jens".into()),
                Field::Advice => c.advice = Some(vec!["hold-dig-aktiv".into()]),
                Field::Omit => c.omit = vec!["prognose".into()],
                Field::Note => c.note = Some("Husk".into()),
                Field::Goals => c.goals = vec!["Gå".into()],
                Field::BlankGoals => c.blank_goals = true,
                Field::Steps => c.steps = vec!["Gå".into()],
                Field::Ladder => c.ladder = true,
                Field::Next => c.next = Some(c.date.at(10, 30, 0, 0)),
                Field::Qr => c.qr_url = Some(url.clone()),
                Field::NoQr => c.no_qr = true,
                Field::LargePrint => c.large_print = true,
                Field::Region | Field::Variant | Field::Date | Field::Audience => {}
            }
            let made = select(&content, None, &c);
            if in_therapist_guide(field) {
                assert!(made.is_ok(), "{field:?}: {:?}", made.err());
            } else {
                match made {
                    Err(Error::NotInTherapistGuide { field: f }) => assert_eq!(f, field),
                    other => panic!("{field:?}: {:?}", other.map(|h| h.title)),
                }
            }
        }
        // The name is refused for what it is, before its length is checked.
        let mut c = choices(Region::Lumbar);
        c.audience = Audience::Therapist;
        c.patient = Some("x".repeat(500));
        assert!(matches!(
            select(&content, None, &c),
            Err(Error::NotInTherapistGuide {
                field: Field::Patient
            })
        ));
    }

    #[test]
    fn omitting_red_flags_is_refused() {
        let mut c = choices(Region::Lumbar);
        c.omit = vec!["roede-flag".into()];
        let e = select(&content(), None, &c).unwrap_err();
        assert!(matches!(e, Error::RedFlagsRequired { .. }));
        assert!(e.to_string().contains("cannot be omitted"));
    }

    #[test]
    fn therapist_text_never_in_patient_handout() {
        let content = content();
        for region in Region::ALL {
            for variant in [Variant::Full, Variant::Short] {
                let mut c = choices(region);
                c.variant = variant;
                let text = all_text(&select(&content, None, &c).unwrap());
                for needle in [
                    "Sæt rammen",
                    "Fysioterapeuten bør",
                    "Nociceptive signaler",
                    "Observer",
                    "Indgå i dialog",
                    "udredning",
                    "patologi",
                ] {
                    assert!(
                        !text.contains(needle),
                        "{needle} leaked into {region} {variant:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn neck_handout_has_no_lumbar_wording() {
        let text = all_text(&select(&content(), None, &choices(Region::Cervical)).unwrap());
        for needle in [
            "lænderyg",
            "core",
            "tunge løft",
            "ekstremiteten",
            "lårene",
            "lænd",
        ] {
            assert!(!text.contains(needle), "{needle} in neck handout");
        }
        assert!(text.contains("klodset i hænderne"));
        assert!(text.contains("ud i armen"));
    }

    #[test]
    fn advice_selection_and_omission() {
        let mut c = choices(Region::Lumbar);
        c.advice = Some(vec!["hold-dig-aktiv".into(), "sund-vaegt".into()]);
        let h = select(&content(), None, &c).unwrap();
        let ids: Vec<_> = h
            .blocks
            .iter()
            .flat_map(|b| &b.pieces)
            .filter_map(|p| match p {
                Piece::List(items) => Some(items.iter().filter_map(|(id, _)| id.clone())),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(ids, ["hold-dig-aktiv", "sund-vaegt"]);
        // The self-management block lost all its advice and is dropped; the rest stays.
        assert!(!h.blocks.iter().any(|b| b.id == "egenhaandtering"));
        assert!(h.blocks.iter().any(|b| b.id == "prognose"));

        let mut c = choices(Region::Lumbar);
        c.omit = vec!["tag-ansvar".into(), "prognose".into()];
        let h = select(&content(), None, &c).unwrap();
        let text = all_text(&h);
        assert!(!text.contains("Tag ansvar"));
        assert!(!h.blocks.iter().any(|b| b.id == "prognose"));
        assert!(text.contains("Hold dig fysisk aktiv"));
    }

    #[test]
    fn unknown_and_wrong_region_ids_list_valid_ones() {
        let mut c = choices(Region::Cervical);
        c.advice = Some(vec!["sund-vaegt".into()]);
        let e = select(&content(), None, &c).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "advice id 'sund-vaegt' is not valid for cervical (only for lumbar); valid ids: "
            ),
            "{e}"
        );
        assert!(e.contains("hold-dig-aktiv"));
        assert!(!e.contains("sund-vaegt,"));

        let mut c = choices(Region::Lumbar);
        c.omit = vec!["nope".into()];
        let e = select(&content(), None, &c).unwrap_err().to_string();
        assert!(
            e.starts_with("id 'nope' is not known; valid ids: viden-om-tilstanden,"),
            "{e}"
        );
        assert!(!e.contains("roede-flag"));

        let mut c = choices(Region::Lumbar);
        c.variant = Variant::Short;
        c.advice = Some(vec!["sund-vaegt".into()]);
        let e = select(&content(), None, &c).unwrap_err().to_string();
        assert!(e.contains("is not part of the short version"), "{e}");

        let mut c = choices(Region::Lumbar);
        c.omit = vec!["jobsituation".into()];
        let e = select(&content(), None, &c).unwrap_err().to_string();
        assert!(e.contains("therapist-only"), "{e}");
    }

    #[test]
    fn personal_fields() {
        let mut c = choices(Region::Lumbar);
        c.patient = Some("  Søren Ærø ".into());
        c.note = Some("Husk øvelserne\r\nto gange dagligt".into());
        let h = select(&content(), None, &c).unwrap();
        assert_eq!(
            h.fields[0],
            HeaderLine {
                field: Field::Patient,
                label: "Til".into(),
                value: "Søren Ærø".into()
            }
        );
        assert_eq!(h.fields.last().unwrap().value, "26. november 2026");
        assert_eq!(h.blocks[0].style, BlockStyle::Alert);
        assert_eq!(h.blocks[1].style, BlockStyle::Note);
        assert_eq!(h.blocks[1].pieces.len(), 2);
        assert_eq!(h.running_header, "Nerverodspåvirkning i lænden · Søren Ærø");

        c.patient = Some("x".repeat(81));
        assert!(matches!(
            select(&content(), None, &c),
            Err(Error::FieldTooLong {
                len: 81,
                max: 80,
                ..
            })
        ));
        c.patient = Some("Anna\u{202E}".into());
        let e = select(&content(), None, &c).unwrap_err().to_string();
        assert_eq!(
            e,
            "the patient's name contains U+202E, a bidirectional override, which can disguise text; remove it"
        );
    }
}
