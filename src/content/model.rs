//! The content schema: what `content/guideline.json` and `content/labels.json` hold.
//!
//! Every struct denies unknown fields, so a typo in a clinic's edited copy is an error
//! with its JSON path instead of text that silently disappears.

use serde::Deserialize;

/// The body region a handout is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// Lænd: nerve-root compression in the low back.
    Lumbar,
    /// Nakke: nerve-root compression in the neck.
    Cervical,
}

impl Region {
    /// Every region, in a fixed order.
    pub const ALL: [Region; 2] = [Region::Lumbar, Region::Cervical];

    /// The English name used in the content schema and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Region::Lumbar => "lumbar",
            Region::Cervical => "cervical",
        }
    }

    /// The Danish name, also accepted on the command line.
    pub fn danish_name(self) -> &'static str {
        match self {
            Region::Lumbar => "lænd",
            Region::Cervical => "nakke",
        }
    }

    /// Parses an English or Danish region name, ignoring case and surrounding space.
    pub fn parse(s: &str) -> Option<Region> {
        match s.trim().to_lowercase().as_str() {
            "lumbar" | "lænd" | "laend" | "lænden" => Some(Region::Lumbar),
            "cervical" | "nakke" | "nakken" => Some(Region::Cervical),
            _ => None,
        }
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The guideline's long text or its short "PIXI" version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The full version.
    Full,
    /// The short PIXI version.
    Short,
}

impl Variant {
    /// Both variants, full first.
    pub const ALL: [Variant; 2] = [Variant::Full, Variant::Short];

    /// The name used in the content schema and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::Short => "short",
        }
    }
}

/// Who a piece of text is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Printed in patient handouts.
    Patient,
    /// Only for the physiotherapist; never printed in a patient handout.
    Therapist,
}

impl Audience {
    /// Both audiences, the patient first.
    pub const ALL: [Audience; 2] = [Audience::Patient, Audience::Therapist];
}

/// How messages name one document: `the short cervical handout`, `the full lumbar therapist's
/// guide`.
pub fn document_name(region: Region, variant: Variant, audience: Audience) -> String {
    let document = match audience {
        Audience::Patient => "handout",
        Audience::Therapist => "therapist's guide",
    };
    format!("the {} {region} {document}", variant.name())
}

/// One wording, in its full and (where the PIXI version differs) short form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// The full version's text.
    pub full: String,
    /// The short version's text, when it differs from `full`.
    #[serde(default)]
    pub short: Option<String>,
}

impl Wording {
    /// The text for one variant.
    pub fn get(&self, variant: Variant) -> &str {
        match variant {
            Variant::Full => &self.full,
            Variant::Short => self.short.as_deref().unwrap_or(&self.full),
        }
    }
}

/// A text with optional wordings per region, which replace the default wording for that region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The default full wording.
    pub full: String,
    /// The default short wording, when it differs.
    #[serde(default)]
    pub short: Option<String>,
    /// The wording for the lumbar region, when it differs.
    #[serde(default)]
    pub lumbar: Option<Wording>,
    /// The wording for the cervical region, when it differs.
    #[serde(default)]
    pub cervical: Option<Wording>,
}

impl Text {
    /// The wording for a region and variant.
    pub fn get(&self, region: Region, variant: Variant) -> &str {
        let regional = match region {
            Region::Lumbar => self.lumbar.as_ref(),
            Region::Cervical => self.cervical.as_ref(),
        };
        match regional {
            Some(w) => w.get(variant),
            None => match variant {
                Variant::Full => &self.full,
                Variant::Short => self.short.as_deref().unwrap_or(&self.full),
            },
        }
    }

    /// Every string this text holds, with its JSON path relative to the text.
    pub fn strings(&self) -> Vec<(String, &str)> {
        let mut out = vec![("full".to_string(), self.full.as_str())];
        if let Some(s) = &self.short {
            out.push(("short".into(), s));
        }
        for (name, w) in [("lumbar", &self.lumbar), ("cervical", &self.cervical)] {
            if let Some(w) = w {
                out.push((format!("{name}.full"), &w.full));
                if let Some(s) = &w.short {
                    out.push((format!("{name}.short"), s));
                }
            }
        }
        out
    }
}

/// `content/guideline.json`: the guideline as data.
#[derive(Debug, Clone, Deserialize)]
pub struct Guideline {
    /// Version of this schema; pjece reads version 1.
    pub schema_version: u32,
    /// Title, source and version of the content.
    pub meta: Meta,
    /// The blocks in handout order.
    pub blocks: Vec<Block>,
}

impl Guideline {
    /// The red-flag blocks covering a region (validated content has exactly one).
    pub fn red_flag_blocks(&self, region: Region) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(move |b| b.kind == BlockKind::RedFlags && b.regions.contains(&region))
    }
}

/// Metadata printed on every handout.
#[derive(Debug, Clone, Deserialize)]
pub struct Meta {
    /// The handout's title.
    pub title: Text,
    /// A line under the title.
    #[serde(default)]
    pub subtitle: Option<Text>,
    /// The guideline the content is built from, named in every footer.
    pub source: String,
    /// The content version, named in every footer.
    pub content_version: String,
    /// The date of the content version, `YYYY-MM-DD`.
    pub content_date: String,
    /// The document language, e.g. `da-DK`.
    pub language: String,
}

/// How a block is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading and its body.
    #[default]
    Section,
    /// The red-flag warning: always included, boxed, never split.
    RedFlags,
}

/// A section of the guideline.
#[derive(Debug, Clone, Deserialize)]
pub struct Block {
    /// A stable ASCII id (`a-z`, `0-9`, `-`).
    pub id: String,
    /// How the block is presented.
    #[serde(default)]
    pub kind: BlockKind,
    /// The section of the guideline this block carries, for traceability.
    pub guideline_section: String,
    /// Who the block is for.
    pub audience: Audience,
    /// The regions the block is valid for.
    pub regions: Vec<Region>,
    /// The variants the block appears in (default: both).
    #[serde(default = "both_variants")]
    pub variants: Vec<Variant>,
    /// The heading.
    pub heading: Text,
    /// The block's elements in order.
    pub body: Vec<Element>,
}

fn both_variants() -> Vec<Variant> {
    vec![Variant::Full, Variant::Short]
}

/// An element of a block as one document shows it.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    /// The element.
    pub element: &'a Element,
    /// For a list or advice, the items the document shows, in order; empty otherwise.
    pub items: Vec<&'a Item>,
}

/// A part every red-flag box must show, in every document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedFlagPart {
    /// At least one warning sign (a list item).
    Signs,
    /// Whom to call (the call element).
    Call,
}

impl RedFlagPart {
    /// Every part.
    pub const ALL: [RedFlagPart; 2] = [RedFlagPart::Signs, RedFlagPart::Call];

    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            RedFlagPart::Signs => "warning signs",
            RedFlagPart::Call => "call (whom to contact)",
        }
    }

    /// Whether a box shown like this has it.
    pub fn is_in(self, shown: &[Shown]) -> bool {
        shown.iter().any(|s| match (self, s.element) {
            (RedFlagPart::Signs, Element::List(_) | Element::Advice(_)) => !s.items.is_empty(),
            (RedFlagPart::Call, Element::Call(_)) => true,
            _ => false,
        })
    }
}

impl Block {
    /// Whether a document for `audience`, `region` and `variant` shows this block at all. The
    /// therapist's guide walks every block for its therapist text; a handout only patient ones.
    pub fn in_document(&self, region: Region, variant: Variant, audience: Audience) -> bool {
        self.regions.contains(&region)
            && self.variants.contains(&variant)
            && (audience == Audience::Therapist || self.audience == Audience::Patient)
    }

    /// Whether a document shows an element or item of this block: the one rule validation and
    /// selection share, so what `check` proves is what a handout holds. `inherited`
    /// is the audience of what encloses it (the block for an element, the list for an item).
    /// The therapist's guide shows the red-flag box whole: it is what the therapist must check.
    pub fn shows(
        &self,
        scope: &dyn Scoped,
        inherited: Audience,
        region: Region,
        variant: Variant,
        audience: Audience,
    ) -> bool {
        let own = scope.audience().unwrap_or(inherited);
        scope.applies(region, variant)
            && match audience {
                Audience::Patient => own == Audience::Patient,
                Audience::Therapist => {
                    own == Audience::Therapist || self.kind == BlockKind::RedFlags
                }
            }
    }

    /// The elements one document shows, in order, each list with the items it shows. Links
    /// and footnotes are never printed in a patient handout. Nothing when the document does
    /// not show the block.
    pub fn shown(&self, region: Region, variant: Variant, audience: Audience) -> Vec<Shown<'_>> {
        if !self.in_document(region, variant, audience) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for element in &self.body {
            if audience == Audience::Patient
                && matches!(element, Element::Link(_) | Element::Footnote(_))
            {
                continue;
            }
            if !self.shows(element.scope(), self.audience, region, variant, audience) {
                continue;
            }
            let items: Vec<&Item> = match element {
                Element::List(l) | Element::Advice(l) => {
                    let list_audience = l.audience.unwrap_or(self.audience);
                    l.items
                        .iter()
                        .filter(|i| self.shows(*i, list_audience, region, variant, audience))
                        .collect()
                }
                _ => Vec::new(),
            };
            out.push(Shown { element, items });
        }
        out
    }
}

/// One element of a block's body.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Element {
    /// A paragraph of text.
    Paragraph(Paragraph),
    /// A fixed bullet list.
    List(List),
    /// A bullet list of advice, each item with an id a therapist can pick.
    Advice(List),
    /// A footnote, referred to in text as `[^mark]`.
    Footnote(Footnote),
    /// A line of text that links to a web address.
    Link(Link),
    /// Whom to call: the guideline's wording, or with a clinic profile the out-of-hours number
    /// of the clinic's region.
    Call(Call),
}

impl Element {
    /// Its audience, regions and variants.
    pub fn scope(&self) -> &dyn Scoped {
        match self {
            Element::Paragraph(p) => p,
            Element::List(l) | Element::Advice(l) => l,
            Element::Footnote(f) => f,
            Element::Link(l) => l,
            Element::Call(c) => c,
        }
    }
}

/// Where an element or item applies, narrowing its block.
pub trait Scoped {
    /// Who it is for, when it differs from the block.
    fn audience(&self) -> Option<Audience>;
    /// The regions it is valid for, when narrower than the block's.
    fn regions(&self) -> Option<&[Region]>;
    /// The variants it appears in, when narrower than the block's.
    fn variants(&self) -> Option<&[Variant]>;

    /// Whether it applies to this region and variant (audience is checked separately).
    fn applies(&self, region: Region, variant: Variant) -> bool {
        self.regions().is_none_or(|r| r.contains(&region))
            && self.variants().is_none_or(|v| v.contains(&variant))
    }
}

/// Defines an element or item that can narrow where it applies: the struct with its own
/// fields plus `audience`, `regions` and `variants`, and its [`Scoped`] impl. A macro, not a
/// `#[serde(flatten)]`ed struct, because serde cannot deny unknown fields through a flatten.
macro_rules! scoped {
    ($(#[$doc:meta])* pub struct $name:ident { $($(#[$fdoc:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Narrows where it is shown: who it is for.
            #[serde(default)]
            pub audience: Option<Audience>,
            /// Narrows where it is shown: the regions.
            #[serde(default)]
            pub regions: Option<Vec<Region>>,
            /// Narrows where it is shown: the variants.
            #[serde(default)]
            pub variants: Option<Vec<Variant>>,
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl Scoped for $name {
            fn audience(&self) -> Option<Audience> { self.audience }
            fn regions(&self) -> Option<&[Region]> { self.regions.as_deref() }
            fn variants(&self) -> Option<&[Variant]> { self.variants.as_deref() }
        }
    };
}

scoped! {
    /// A paragraph.
    pub struct Paragraph {
        /// Where the wording comes from: `seed` or a named source.
        pub source: String,
        /// The wording, with `**bold**` markup.
        pub text: Text,
    }
}

scoped! {
    /// A bullet list.
    pub struct List {
        /// The bullets.
        pub items: Vec<Item>,
    }
}

scoped! {
    /// One bullet.
    pub struct Item {
        /// The advice id (required in advice lists).
        #[serde(default)]
        pub id: Option<String>,
        /// Where the wording comes from.
        pub source: String,
        /// The wording.
        pub text: Text,
    }
}

scoped! {
    /// A footnote.
    pub struct Footnote {
        /// The mark used in `[^mark]` references.
        pub mark: String,
        /// Where the wording comes from.
        pub source: String,
        /// The wording.
        pub text: Text,
    }
}

scoped! {
    /// A line of text linking to a web address.
    pub struct Link {
        /// Where the wording comes from.
        pub source: String,
        /// The link text.
        pub text: Text,
        /// The web address (`https://...`).
        pub url: String,
    }
}

scoped! {
    /// Whom to call, with and without the clinic's out-of-hours number.
    pub struct Call {
        /// Where the wording comes from.
        pub source: String,
        /// The wording without a clinic profile (the guideline's).
        pub text: Text,
        /// The wording with the clinic's region known; `{call}` becomes e.g.
        /// "lægevagten på 70 11 31 31".
        pub with_number: Text,
    }
}

/// `content/labels.json`: the handout's fixed Danish words, kept out of code.
#[derive(Debug, Clone, Deserialize)]
pub struct Labels {
    /// Version of this schema; pjece reads version 1.
    pub schema_version: u32,
    /// Label before the patient's name.
    pub patient: String,
    /// Label before the therapist's name.
    pub therapist: String,
    /// Label before the date.
    pub date: String,
    /// Heading of the therapist's personal note.
    pub note_heading: String,
    /// Page number template with `{page}` and `{pages}`.
    pub page_of: String,
    /// Footer line naming the source, with `{source}`.
    pub source_line: String,
    /// Footer line naming the content version, with `{version}` and `{date}`.
    pub version_line: String,
    /// The bullet character.
    pub bullet: String,
    /// Month names, January first.
    pub months: Vec<String>,
    /// Label before the next appointment.
    pub next_appointment: String,
    /// Appointment template with `{weekday}`, `{day}`, `{month}` and `{time}`.
    pub appointment: String,
    /// Weekday names, Monday first.
    pub weekdays: Vec<String>,
    /// Heading of the goals block.
    pub goals_heading: String,
    /// Line above empty goal lines.
    pub goals_blank: String,
    /// Heading of the progression ladder.
    pub ladder_heading: String,
    /// What the ladder is for (content-notes §6).
    pub ladder_intro: String,
    /// A ladder step's label with `{n}`.
    pub ladder_step: String,
    /// What a screen reader says for an empty ladder step or goal line (never printed).
    pub blank_line: String,
    /// Heading of the clinic's contact block ("Din fysioterapeut").
    pub contact_heading: String,
    /// Heading of the QR block.
    pub qr_heading: String,
    /// Text before the printed address.
    pub qr_caption: String,
    /// The QR code's alternative text with `{url}`.
    pub qr_alt: String,
    /// Title of the therapist's guide.
    pub therapist_title: String,
    /// Subtitle of the therapist's guide.
    pub therapist_subtitle: String,
    /// Heading of the advice reference in the therapist's guide.
    pub advice_reference: String,
    /// Alternative text of a clinic logo without its own.
    pub logo_alt: String,
}
