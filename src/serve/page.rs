//! The form page, written with maud: every value is escaped, and the page holds no inline
//! script or style, so the Content-Security-Policy can forbid both.

use maud::{DOCTYPE, Markup, html};

use pjece::clinic::Clinic;
use pjece::content::markup::{self, Inline};
use pjece::content::{BlockKind, Content, Element, Region, Variant};
use pjece::select;

use super::assets::{CSS, JS};
use super::form::{FieldError, FormField, Submitted};

/// One section of the handout in the checklist: its advice, and whether it may be left out.
pub struct Section {
    pub id: String,
    pub heading: String,
    pub always: bool,
    pub advice: Vec<Advice>,
}

/// One piece of advice: its id, its bold lead words, and the rest of its text.
pub struct Advice {
    pub id: String,
    pub lead: String,
    pub rest: String,
}

/// The sections of a region's handout in one variant, with their advice, in document order.
pub fn sections(content: &Content, region: Region, variant: Variant) -> Vec<Section> {
    let valid = select::advice_ids(content, region, variant);
    content
        .patient_blocks(region)
        .filter(|b| b.variants.contains(&variant))
        .map(|block| {
            let advice = block
                .body
                .iter()
                .filter_map(|e| match e {
                    Element::Advice(list) => Some(&list.items),
                    _ => None,
                })
                .flatten()
                .filter_map(|item| {
                    let id = item.id.as_deref().filter(|id| valid.contains(id))?;
                    let (lead, rest) = lead_words(item.text.get(region, variant));
                    Some(Advice {
                        id: id.to_string(),
                        lead,
                        rest,
                    })
                })
                .collect();
            Section {
                id: block.id.clone(),
                heading: markup::plain(block.heading.get(region, variant)),
                always: block.kind == BlockKind::RedFlags,
                advice,
            }
        })
        .collect()
}

/// Splits advice text into its bold lead words and the rest (the guideline's style).
fn lead_words(text: &str) -> (String, String) {
    let parts = markup::parse(text).unwrap_or_default();
    let mut lead = String::new();
    let mut rest = String::new();
    for (i, part) in parts.iter().enumerate() {
        if let Inline::Text { text, bold } = part {
            if i == 0 && *bold {
                lead.push_str(text.trim());
            } else {
                rest.push_str(text);
            }
        }
    }
    if lead.is_empty() {
        return (markup::plain(text), String::new());
    }
    (lead, rest.trim().to_string())
}

/// What the page shows besides the form's values.
/// The frame every page shares: Danish, the viewport, "TITLE – pjece", the style sheet, then
/// `scripts` in the head and `body`.
pub fn document(title: &str, scripts: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="da" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – pjece" }
                link rel="stylesheet" href=(CSS.path);
                (scripts)
            }
            body { (body) }
        }
    }
}

pub struct Page<'a> {
    pub content: &'a Content,
    pub clinic: Option<&'a Clinic>,
    pub form: &'a Submitted,
    pub errors: &'a [FieldError],
    pub csrf: String,
    /// A message above the form (the form was filled from a handout).
    pub notice: Option<String>,
    /// What went wrong with a handout sent to fill the form.
    pub file_error: Option<String>,
}

impl Page<'_> {
    fn error(&self, field: FormField) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.map(FormField::id) == Some(field.id()))
            .map(|e| e.message.as_str())
    }

    /// The error paragraph after a field: always there, so the preview's script can fill it.
    fn error_slot(&self, field: FormField) -> Markup {
        let message = self.error(field);
        html! {
            p.error id={ (field.id()) "-error" } hidden[message.is_none()] {
                @if let Some(m) = message { span.visually-hidden { "Fejl: " } (m) }
            }
        }
    }

    fn text_input(
        &self,
        field: FormField,
        name: &str,
        kind: &str,
        label: &str,
        value: &str,
        hint: Option<&str>,
    ) -> Markup {
        let id = field.id();
        let invalid = self.error(field).is_some();
        let described = match hint {
            Some(_) => format!("{id}-hint {id}-error"),
            None => format!("{id}-error"),
        };
        html! {
            div.field {
                label for=(id) { (label) }
                @if let Some(h) = hint { p.hint id={ (id) "-hint" } { (h) } }
                input type=(kind) id=(id) name=(name) value=(value)
                    aria-describedby=(described) aria-invalid=[invalid.then_some("true")];
                (self.error_slot(field))
            }
        }
    }

    fn textarea(&self, field: FormField, label: &str, value: &str, hint: &str, rows: u8) -> Markup {
        let id = field.id();
        let invalid = self.error(field).is_some();
        html! {
            div.field {
                label for=(id) { (label) }
                p.hint id={ (id) "-hint" } { (hint) }
                textarea id=(id) name=(id) rows=(rows)
                    aria-describedby={ (id) "-hint " (id) "-error" }
                    aria-invalid=[invalid.then_some("true")] { (value) }
                (self.error_slot(field))
            }
        }
    }

    fn radios(
        &self,
        field: FormField,
        name: &str,
        legend: &str,
        options: &[(&str, &str)],
        chosen: &str,
    ) -> Markup {
        html! {
            fieldset.choice id={ (name) "-group" } aria-describedby={ (field.id()) "-error" } {
                legend { (legend) }
                @for (value, text) in options {
                    div.option {
                        input type="radio" name=(name) id={ (name) "-" (value) } value=(value)
                            checked[*value == chosen];
                        label for={ (name) "-" (value) } { (text) }
                    }
                }
                (self.error_slot(field))
            }
        }
    }

    fn clinic(&self) -> Markup {
        html! {
            section.clinic aria-labelledby="clinic-heading" {
                h2 id="clinic-heading" { "Klinikprofil" }
                @match self.clinic {
                    Some(c) => {
                        p { strong { (c.name.as_deref().unwrap_or("(uden navn)")) } }
                        @match &c.region {
                            Some(r) => p { (r.name) ": boksen om hvornår man skal søge læge siger, at patienten skal ringe til " strong { (r.call) } "." },
                            None => p { "Ingen region i profilen: boksen om hvornår man skal søge læge bruger vejledningens generelle tekst." },
                        }
                    }
                    None => p { "Ingen klinikprofil: pjecen får ingen klinik i bunden, og boksen om hvornår man skal søge læge bruger vejledningens generelle tekst." },
                }
            }
        }
    }

    /// A handout made by pjece, chosen or dropped, fills the form again: a form of its own,
    /// which works without the script.
    fn reissue(&self) -> Markup {
        let error = self.file_error.as_deref();
        html! {
            section.reissue #reissue aria-labelledby="reissue-heading" {
                h2 #reissue-heading { "Lav en pjece igen" }
                form #reissue-form method="post" action="/reissue" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(self.csrf);
                    div.field {
                        label for="reissue-file" { "Vælg en pjece (PDF), som pjece har lavet" }
                        p.hint #reissue-file-hint { "Formularen udfyldes med pjecens valg og dagens dato. Du kan også trække PDF-filen ind på siden." }
                        input type="file" #reissue-file name="pdf" accept=".pdf,application/pdf"
                            aria-describedby="reissue-file-hint reissue-file-error"
                            aria-invalid=[error.map(|_| "true")];
                        p.error #reissue-file-error hidden[error.is_none()] {
                            @if let Some(m) = error { span.visually-hidden { "Fejl: " } (m) }
                        }
                    }
                    button #reissue-submit type="submit" { "Udfyld formularen fra PDF'en" }
                }
            }
        }
    }

    /// The checklist of sections and advice for the chosen region and variant.
    pub fn advice_list(&self, region: Region, variant: Variant) -> Markup {
        let key = Submitted::list_key(region, variant);
        // A list shown for another region (or none yet) starts with every piece ticked.
        let fresh = self.form.advice_for.as_deref() != Some(key.as_str());
        html! {
            div #advice-list data-key=(key) {
                input type="hidden" name="advice-for" id="advice-for" value=(key);
                @for s in sections(self.content, region, variant) {
                    fieldset.section id={ "section-" (s.id) } {
                        legend { (s.heading) }
                        @if s.always {
                            p.hint { "Altid med, først i pjecen." }
                        } @else {
                            div.option.omit {
                                input type="checkbox" name="omit" id={ "omit-" (s.id) } value=(s.id)
                                    checked[!fresh && self.form.omit.contains(&s.id)];
                                label for={ "omit-" (s.id) } { "Udelad hele afsnittet" }
                            }
                        }
                        @for a in &s.advice {
                            div.option.advice {
                                input type="checkbox" name="advice" id={ "advice-" (a.id) } value=(a.id)
                                    checked[fresh || self.form.advice.contains(&a.id)];
                                label for={ "advice-" (a.id) } {
                                    strong { (a.lead) } " " span.rest { (a.rest) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    pub fn render(&self) -> Markup {
        let f = self.form;
        let region = f.region().unwrap_or(Region::Lumbar);
        let variant = f.variant().unwrap_or(Variant::Full);
        let title = if self.errors.is_empty() && self.file_error.is_none() {
            "Lav en pjece"
        } else {
            "Fejl – Lav en pjece"
        };
        document(
            title,
            html! { script src=(JS.path) defer {} },
            html! {
            a.skip href="#handout-form" { "Gå til formularen" }
            header.top {
                h1 { "Lav en pjece til patienten" }
                p { "Nerverodspåvirkning i lænd og nakke. Udfyld det, du vil have med, og tryk " strong { "Hent PDF" } " eller " strong { "Udskriv" } "." }
                p { a href="/batch" { "Mange på én gang" } ": pjecer til mange patienter fra et regneark." }
            }
            div.layout {
                main {
                    (self.clinic())
                    (self.reissue())
                    form #handout-form method="post" action="/handout" novalidate {
                        @if !self.errors.is_empty() {
                            div.summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-heading" {
                                h2 #error-summary-heading { "Ret dette, før pjecen kan laves" }
                                ul {
                                    @for e in self.errors {
                                        li {
                                            @match e.field {
                                                Some(field) => a href={ "#" (field.id()) } { (e.message) },
                                                None => (e.message),
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if let Some(n) = &self.notice {
                            p.notice #reissue-notice role="status" { (n) }
                        }
                        input type="hidden" name="csrf" value=(self.csrf);
                        fieldset.group {
                            legend { h2 { "Pjecen" } }
                            (self.radios(FormField::Region, "region", "Område", &[("lumbar", "Lænd"), ("cervical", "Nakke")], region.name()))
                            (self.radios(FormField::Variant, "variant", "Udgave", &[("full", "Fuld udgave"), ("short", "Kort udgave (PIXI)")], variant.name()))
                            (self.radios(FormField::Audience, "audience", "Dokument", &[("patient", "Pjece til patienten"), ("therapist", "Samtaleguide til terapeuten (alle råd, ingen personlige felter)")], f.audience.as_deref().unwrap_or("patient")))
                            p.notice #guide-notice aria-live="polite" {}
                            div.option {
                                input type="checkbox" name="large-print" id="large-print" value="ja" checked[f.large_print];
                                label for="large-print" { "Stor skrift (18 punkt)" }
                            }
                            button.nojs type="submit" name="action" value="refresh" { "Vis rådene for det valgte område" }
                        }
                        fieldset.group {
                            legend { h2 { "Patient og terapeut" } }
                            (self.text_input(FormField::Patient, "patient", "text", "Patientens navn", &f.patient, Some("Står øverst i pjecen. Kan udelades.")))
                            (self.text_input(FormField::Therapist, "therapist", "text", "Terapeutens navn", &f.therapist, None))
                            (self.text_input(FormField::Date, "date", "date", "Dato", &f.date, None))
                        }
                        fieldset.group #advice {
                            legend { h2 { "Råd og afsnit" } }
                            p.guide-off hidden { "Slået fra: samtaleguiden viser altid alle råd og afsnit." }
                            p.hint { "Rådene, der passer til området, er valgt på forhånd. Fjern fluebenet ved dem, patienten ikke skal have." }
                            (self.error_slot(FormField::Advice))
                            (self.advice_list(region, variant))
                        }
                        fieldset.group #personal {
                            legend { h2 { "Personligt" } }
                            p.guide-off hidden { "Slået fra: samtaleguiden har ingen personlige felter." }
                            (self.textarea(FormField::Note, "Personlig note", &f.note, "Vises i en boks øverst. Højst 8 linjer.", 4))
                            (self.textarea(FormField::Goals, "Mål", &f.goals, "Ét mål pr. linje, højst 6.", 3))
                            div.option {
                                input type="checkbox" name="blank-goals" id="blank-goals" value="ja" checked[f.blank_goals];
                                label for="blank-goals" { "Tomme linjer til mål, der skrives i hånden" }
                            }
                            (self.textarea(FormField::Steps, "Trin på vejen tilbage", &f.steps, "Ét trin pr. linje, det letteste først, højst 6.", 3))
                            div.option {
                                input type="checkbox" name="ladder" id="ladder" value="ja" checked[f.ladder];
                                label for="ladder" { "Tom trappe med 5 trin, der udfyldes i hånden" }
                            }
                            fieldset.choice.next {
                                legend { "Næste tid" }
                                (self.text_input(FormField::NextDate, "next-date", "date", "Dato", &f.next_date, None))
                                (self.text_input(FormField::NextTime, "next-time", "time", "Klokken", &f.next_time, None))
                            }
                            (self.text_input(FormField::Qr, "qr", "url", "QR-kode til webadresse", &f.qr, Some("Fx en side med øvelser. Tom: klinikkens adresse, hvis profilen har en.")))
                            div.option {
                                input type="checkbox" name="no-qr" id="no-qr" value="ja" checked[f.no_qr];
                                label for="no-qr" { "Ingen QR-kode" }
                            }
                        }
                        div.actions {
                            button.primary #download type="submit" name="action" value="download" { "Hent PDF" }
                            button #print type="submit" name="action" value="print" formtarget="_blank" { "Udskriv" span.visually-hidden { " (åbner i en ny fane)" } }
                        }
                    }
                }
                aside.preview aria-labelledby="preview-heading" tabindex="0" {
                    h2 #preview-heading { "Sådan ser pjecen ud" }
                    p #preview-status role="status" { "Forhåndsvisningen vises her, når siden har indlæst sit script." }
                    div #preview-pages {}
                }
            }
            },
        )
    }
}
