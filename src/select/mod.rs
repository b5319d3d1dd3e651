//! Stage 2: a physiotherapist's choices turn the content into the blocks of one handout.
//!
//! The rules no choice can break live here: the red-flag box for the region is always
//! included, first, with its warning signs and call (`red_flags`); therapist-only text never
//! reaches a patient handout; and an id that is unknown or not valid for the region is an
//! error that lists the valid ids.

mod personal;
mod red_flags;
mod therapist;

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::clinic::Clinic;
use crate::content::markup::{self, Inline};
use crate::content::{
    Audience, Block as ContentBlock, BlockKind, Content, Element, Item, Region, Scoped, Shown,
    Variant,
};
use crate::error::Error;
use crate::out_of_hours::CareRegion;
pub use personal::{
    APPOINTMENT_FORMATS, DATE_FORMATS, appointment, parse_appointment, parse_date, personal,
};

/// Longest patient or therapist name, in characters; longer names would crowd the header.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest personal note, in characters: a note, not a letter.
pub const MAX_NOTE_CHARS: usize = 400;
/// Most lines in a personal note (blank lines do not count). With the length limit the note box
/// fits one page even in large print, with a clinic footer, in the widest letters (a property
/// test checks this).
pub const MAX_NOTE_LINES: usize = 8;
/// Most goals, and the longest goal in characters.
pub const MAX_GOALS: usize = 6;
/// Longest goal or ladder step, in characters.
pub const MAX_ITEM_CHARS: usize = 120;
/// Most steps on the progression ladder (content-notes §6: a ladder of 4-6 steps).
pub const MAX_STEPS: usize = 6;
/// Steps of an empty ladder to fill in by hand.
pub const BLANK_STEPS: usize = 5;
/// Empty lines for goals written by hand.
pub const BLANK_GOAL_LINES: usize = 3;
/// Longest QR address, in characters: longer ones make a dense code that prints poorly.
pub const MAX_URL_CHARS: usize = 300;

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
    /// Large print: 16 pt body text.
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

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold or regular.
    pub bold: bool,
    /// A footnote reference, set small and raised.
    pub footnote: bool,
}

impl Span {
    /// Regular or bold text.
    pub fn text(text: impl Into<String>, bold: bool) -> Span {
        Span {
            text: text.into(),
            bold,
            footnote: false,
        }
    }
}

/// Text with inline bold.
pub type Rich = Vec<Span>;

/// How a block is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockStyle {
    /// Heading and body on the page.
    Plain,
    /// The red-flag warning: framed, tinted, never split.
    Alert,
    /// The therapist's personal note: framed, never split.
    Note,
}

/// One element of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A paragraph.
    Paragraph(Rich),
    /// A bullet list; each item keeps its advice id, if it has one.
    List(Vec<(Option<String>, Rich)>),
    /// Empty lines to write on by hand.
    WriteLines(usize),
    /// The progression ladder: labelled steps, lowest first, each filled in or empty.
    Ladder(Vec<(String, Option<String>)>),
    /// A QR code for `url`, with the address printed under it.
    Qr {
        /// The address encoded.
        url: String,
        /// The words before the printed address.
        caption: String,
        /// Alternative text.
        alt: String,
    },
    /// A line of text linking to a web address.
    Link {
        /// The text.
        text: Rich,
        /// The address.
        url: String,
    },
    /// A footnote: its mark and text, set at the foot of the page that refers to it.
    Footnote {
        /// The mark, e.g. `1`.
        mark: String,
        /// The text.
        text: Rich,
    },
}

/// A block of the handout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The content block id (`note` for the personal note).
    pub id: String,
    /// How it is set.
    pub style: BlockStyle,
    /// Its heading.
    pub heading: String,
    /// Its elements.
    pub pieces: Vec<Piece>,
}

/// A labelled personal field in the header, e.g. `Til: Søren Ærø`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The choice it comes from (`patient`, `therapist`, `date`), for messages.
    pub key: &'static str,
    /// The label.
    pub label: String,
    /// The value.
    pub value: String,
}

/// Everything one handout says, in order, ready for layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// The title (first-level heading, document title).
    pub title: String,
    /// The line under the title.
    pub subtitle: Option<String>,
    /// The document language, e.g. `da-DK`.
    pub language: String,
    /// Patient, therapist and date.
    pub fields: Vec<Field>,
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// The bullet character.
    pub bullet: String,
    /// The running header on pages after the first.
    pub running_header: String,
    /// Page-number template with `{page}` and `{pages}`.
    pub page_of: String,
    /// Footer lines naming source and content version.
    pub footer: Vec<String>,
    /// The handout's date (also the PDF's creation date).
    pub date: Date,
    /// The clinic's logo, set at the top right of the first page.
    pub logo: Option<crate::image::Logo>,
    /// Set in large print.
    pub large_print: bool,
}

/// The first option set that only a patient handout prints; nothing is silently ignored.
fn patient_only_option(c: &Choices) -> Option<&'static str> {
    [
        (c.advice.is_some(), "--advice"),
        (!c.omit.is_empty(), "--omit"),
        (c.note.is_some(), "--note"),
        (!c.goals.is_empty(), "--goal"),
        (c.blank_goals, "--blank-goals"),
        (!c.steps.is_empty(), "--step"),
        (c.ladder, "--ladder"),
        (c.next.is_some(), "--next"),
        (c.qr_url.is_some(), "--qr"),
    ]
    .into_iter()
    .find_map(|(set, option)| set.then_some(option))
}

/// The content's title without region wording or markup (for files holding many handouts).
pub fn plain_title(content: &Content) -> String {
    markup::plain(&content.guideline.meta.title.full)
}

/// Turns content and choices into a handout; `clinic` adds its logo, contact line and the
/// out-of-hours number of its region.
pub fn select(
    content: &Content,
    clinic: Option<&Clinic>,
    choices: &Choices,
) -> Result<Handout, Error> {
    let fields = personal::Fields::check(choices, clinic)?;
    if choices.audience == Audience::Therapist {
        if let Some(option) = patient_only_option(choices) {
            return Err(Error::NotInTherapistGuide { option });
        }
        return therapist::select(content, clinic, choices, &fields);
    }
    let Choices {
        region, variant, ..
    } = *choices;
    let labels = &content.labels;
    let (chosen, omitted) = check_ids(content, choices)?;

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
            style: BlockStyle::Plain,
            heading: markup::plain(block.heading.get(region, variant)),
            pieces,
        });
    }
    blocks.extend(personal::blocks(&fields, labels));
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
        .map(|d| danish_date(d, &labels.months))
        .unwrap_or_else(|_| g.meta.content_date.clone());
    let mut footer = Vec::new();
    if let Some(c) = clinic {
        // Name and address on one line, the ways to reach the clinic on the next: short lines
        // that seldom wrap, and never inside an address.
        let first: Vec<&str> = c
            .name
            .iter()
            .chain(c.address.iter())
            .map(String::as_str)
            .collect();
        let rest: Vec<&str> = c.contact.iter().map(String::as_str).collect();
        for line in [first, rest] {
            if !line.is_empty() {
                footer.push(line.join(" · "));
            }
        }
    }
    footer.push(labels.source_line.replace("{source}", &g.meta.source));
    footer.push(
        labels
            .version_line
            .replace("{version}", &g.meta.content_version)
            .replace("{date}", &content_date),
    );
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

/// The advice ids of a region and variant, in document order.
pub fn advice_ids(content: &Content, region: Region, variant: Variant) -> Vec<&str> {
    let mut ids = Vec::new();
    for block in content
        .patient_blocks(region)
        .filter(|b| b.variants.contains(&variant))
    {
        for element in &block.body {
            if let Element::Advice(list) = element {
                if list.audience.unwrap_or(block.audience) != Audience::Patient
                    || !list.applies(region, variant)
                {
                    continue;
                }
                ids.extend(
                    list.items
                        .iter()
                        .filter(|i| i.applies(region, variant))
                        .filter_map(|i| i.id.as_deref()),
                );
            }
        }
    }
    ids
}

/// Checks `--advice` and `--omit` ids; returns the chosen advice and the omitted ids.
fn check_ids<'c>(
    content: &'c Content,
    choices: &'c Choices,
) -> Result<(Option<BTreeSet<&'c str>>, BTreeSet<&'c str>), Error> {
    let Choices {
        region, variant, ..
    } = *choices;
    let valid_advice = advice_ids(content, region, variant);
    let blocks: Vec<&ContentBlock> = content
        .patient_blocks(region)
        .filter(|b| b.variants.contains(&variant))
        .collect();
    let unknown = |id: &str, what: &'static str, valid: Vec<&str>| {
        let reason = why_not(content, id, region, variant);
        Error::UnknownId {
            what,
            // Quoted back as given, but never with a character the terminal would not show.
            id: crate::chars::shown(id),
            reason,
            valid: valid.into_iter().map(String::from).collect(),
        }
    };

    // Ids are ASCII; "Tag-Ansvar" from a spreadsheet cell means tag-ansvar.
    let canonical = |id: &str, among: &[&'c str]| {
        among
            .iter()
            .copied()
            .find(|v| v.eq_ignore_ascii_case(id.trim()))
    };
    let chosen = match &choices.advice {
        None => None,
        Some(ids) if ids.iter().all(|id| id.trim().is_empty()) => {
            return Err(Error::NoAdviceChosen);
        }
        Some(ids) => {
            let mut set = BTreeSet::new();
            for id in ids.iter().filter(|id| !id.trim().is_empty()) {
                match canonical(id, &valid_advice) {
                    Some(id) => set.insert(id),
                    None => return Err(unknown(id, "advice id", valid_advice.clone())),
                };
            }
            Some(set)
        }
    };
    let block_ids: Vec<&'c str> = blocks.iter().map(|b| b.id.as_str()).collect();
    let mut omitted = BTreeSet::new();
    for id in choices.omit.iter().filter(|id| !id.trim().is_empty()) {
        let id = if let Some(block) = canonical(id, &block_ids) {
            if blocks
                .iter()
                .any(|b| b.id == block && b.kind == BlockKind::RedFlags)
            {
                return Err(Error::RedFlagsRequired { id: block.into() });
            }
            block
        } else if let Some(advice) = canonical(id, &valid_advice) {
            advice
        } else {
            let mut valid: Vec<&str> = blocks
                .iter()
                .filter(|b| b.kind != BlockKind::RedFlags)
                .map(|b| b.id.as_str())
                .collect();
            valid.extend(valid_advice.iter().copied());
            return Err(unknown(id, "id", valid));
        };
        if chosen.as_ref().is_some_and(|c| c.contains(id)) {
            return Err(Error::ChosenAndOmitted { id: id.into() });
        }
        omitted.insert(id);
    }
    // Chosen advice must not vanish with a section left out around it.
    if let Some(chosen) = &chosen {
        for block in &blocks {
            if !omitted.contains(block.id.as_str()) {
                continue;
            }
            for element in &block.body {
                if let Element::Advice(list) = element
                    && let Some(id) = list
                        .items
                        .iter()
                        .filter_map(|i| i.id.as_deref())
                        .find(|id| chosen.contains(id))
                {
                    return Err(Error::ChosenInOmitted {
                        id: id.into(),
                        block: block.id.clone(),
                    });
                }
            }
        }
    }
    Ok((chosen, omitted))
}

/// Why an id cannot be used for this region and variant.
fn why_not(content: &Content, id: &str, region: Region, variant: Variant) -> String {
    // Ids are matched without case, as the selection matches them.
    let same = |known: &str| known.eq_ignore_ascii_case(id.trim());
    for block in &content.guideline.blocks {
        let found = |regions: &[Region], variants: &[Variant], audience: Audience| {
            if audience == Audience::Therapist {
                "is therapist-only text, never part of a patient handout".to_string()
            } else if !regions.contains(&region) {
                format!(
                    "is not valid for {region} (only for {})",
                    regions
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else if !variants.contains(&variant) {
                format!(
                    "is not part of the {} version",
                    if variant == Variant::Short {
                        "short"
                    } else {
                        "full"
                    }
                )
            } else {
                "cannot be chosen here".to_string()
            }
        };
        if same(&block.id) {
            return found(&block.regions, &block.variants, block.audience);
        }
        for element in &block.body {
            if let Element::Advice(l) | Element::List(l) = element {
                for item in &l.items {
                    if item.id.as_deref().is_some_and(same) {
                        let regions = item
                            .regions
                            .as_deref()
                            .or(l.regions.as_deref())
                            .unwrap_or(&block.regions);
                        let variants = item
                            .variants
                            .as_deref()
                            .or(l.variants.as_deref())
                            .unwrap_or(&block.variants);
                        let audience = l.audience.unwrap_or(block.audience);
                        return found(regions, variants, audience);
                    }
                }
            }
        }
    }
    "is not known".into()
}

/// `3. december 2026`, with month names from the labels.
pub fn danish_date(d: Date, months: &[String]) -> String {
    let month = months
        .get(d.month() as usize - 1)
        .map(String::as_str)
        .unwrap_or("");
    format!("{}. {month} {}", d.day(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn red_flags_always_present_and_first_alert() {
        for region in Region::ALL {
            for variant in [Variant::Full, Variant::Short] {
                let mut c = choices(region);
                c.variant = variant;
                c.advice = Some(vec!["tag-ansvar".into()]);
                let h = select(&content(), None, &c).unwrap();
                let alerts: Vec<_> = h
                    .blocks
                    .iter()
                    .filter(|b| b.style == BlockStyle::Alert)
                    .collect();
                assert_eq!(alerts.len(), 1, "{region} {variant:?}");
            }
        }
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
            Field {
                key: "patient",
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
            "patient contains U+202E, a bidirectional override, which can disguise text; remove it"
        );
    }
}
