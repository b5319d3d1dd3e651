//! Checks that serde cannot express: unique ids, markup, scopes that only narrow their block,
//! one red-flag block per region whose box shows warning signs and a call in every document,
//! nothing in a patient block that a handout cannot print. Every problem is collected, each
//! with its JSON path.

use std::collections::{BTreeMap, BTreeSet};

use super::markup::{self, Inline};
use super::model::*;
use crate::chars;
use crate::error::Problem;
use crate::out_of_hours::OutOfHours;

struct Checker<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// A checker for `file`, which must be of schema version 1.
    fn new(file: &str, schema_version: u32) -> Checker<'_> {
        let mut c = Checker {
            file,
            problems: Vec::new(),
        };
        if schema_version != 1 {
            c.report(
                "schema_version",
                format!("is {schema_version}, but this pjece reads version 1"),
            );
        }
        c
    }

    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            path: path.into(),
            message: message.into(),
        });
    }

    fn nonempty(&mut self, path: &str, s: &str) {
        self.prints_something(path, s, &markup::parse(s));
    }

    /// Reports `s` (whose markup parses to `parsed`) when it prints nothing.
    fn prints_something(&mut self, path: &str, s: &str, parsed: &Result<Vec<Inline>, String>) {
        let visible = |t: &str| {
            t.chars()
                .any(|c| !c.is_whitespace() && !chars::is_invisible(c))
        };
        if s.trim().is_empty() {
            self.report(path, "must not be empty");
        } else if !match parsed {
            Ok(pieces) => pieces
                .iter()
                .any(|p| matches!(p, Inline::Text { text, .. } if visible(text))),
            Err(_) => visible(s),
        } {
            // A warning sign of only `** **` or a zero-width space prints as an empty bullet.
            self.report(
                path,
                "has nothing to print: only markup, spaces or invisible characters",
            );
        }
    }

    fn chars(&mut self, path: &str, s: &str) {
        if let Some((c, why)) = chars::forbidden(s, false) {
            self.report(path, format!("contains {}, {why}", chars::describe(c)));
        }
    }

    /// Checks every wording of a text; `footnotes` are the marks it may refer to, `None` where
    /// references are not allowed.
    fn text(
        &mut self,
        path: &str,
        text: &Text,
        regions: &[Region],
        footnotes: Option<&BTreeSet<String>>,
    ) {
        for (region, wording) in [
            (Region::Lumbar, &text.lumbar),
            (Region::Cervical, &text.cervical),
        ] {
            // With no regions at all the scope itself was reported; don't repeat it per wording.
            if wording.is_some() && !regions.is_empty() && !regions.contains(&region) {
                self.report(
                    format!("{path}.{region}"),
                    format!(
                        "has a {region} wording, but applies only to {}",
                        names(regions)
                    ),
                );
            }
        }
        for (sub, s) in text.strings() {
            let p = format!("{path}.{sub}");
            let parsed = markup::parse(s);
            self.prints_something(&p, s, &parsed);
            self.chars(&p, s);
            match parsed {
                Err(e) => self.report(&p, e),
                Ok(pieces) => {
                    for piece in pieces {
                        let Inline::FootnoteRef(mark) = piece else {
                            continue;
                        };
                        match footnotes {
                            None => self.report(&p, format!("footnote reference [^{mark}] is only allowed in therapist text")),
                            Some(marks) if !marks.contains(&mark) => {
                                self.report(&p, format!("footnote [^{mark}] has no footnote with that mark in this block"))
                            }
                            Some(_) => {}
                        }
                    }
                }
            }
        }
    }
}

fn names(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| r.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `id` is a readable ASCII id: lowercase letters and digits in dash-separated words.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Every string of the guideline that can be printed, with its JSON path.
pub fn texts(g: &Guideline) -> Vec<(String, &str)> {
    fn add<'g>(out: &mut Vec<(String, &'g str)>, path: String, t: &'g Text) {
        for (sub, s) in t.strings() {
            out.push((format!("{path}.{sub}"), s));
        }
    }
    let mut out = vec![("meta.source".to_string(), g.meta.source.as_str())];
    add(&mut out, "meta.title".into(), &g.meta.title);
    if let Some(sub) = &g.meta.subtitle {
        add(&mut out, "meta.subtitle".into(), sub);
    }
    for (bi, block) in g.blocks.iter().enumerate() {
        add(&mut out, format!("blocks[{bi}].heading"), &block.heading);
        for (ei, element) in block.body.iter().enumerate() {
            let ep = format!("blocks[{bi}].body[{ei}]");
            match element {
                Element::Paragraph(p) => add(&mut out, format!("{ep}.text"), &p.text),
                Element::Footnote(f) => add(&mut out, format!("{ep}.text"), &f.text),
                Element::Link(l) => add(&mut out, format!("{ep}.text"), &l.text),
                Element::Call(c) => {
                    add(&mut out, format!("{ep}.text"), &c.text);
                    add(&mut out, format!("{ep}.with_number"), &c.with_number);
                }
                Element::List(l) | Element::Advice(l) => {
                    for (ii, item) in l.items.iter().enumerate() {
                        add(&mut out, format!("{ep}.items[{ii}].text"), &item.text);
                    }
                }
            }
        }
    }
    out
}

/// Checks a guideline and returns every problem found.
pub fn guideline(g: &Guideline, file: &str) -> Vec<Problem> {
    let mut c = Checker::new(file, g.schema_version);
    let all = Region::ALL;
    c.text("meta.title", &g.meta.title, &all, None);
    if let Some(sub) = &g.meta.subtitle {
        c.text("meta.subtitle", sub, &all, None);
    }
    for (name, value) in [
        ("meta.source", &g.meta.source),
        ("meta.content_version", &g.meta.content_version),
        ("meta.language", &g.meta.language),
    ] {
        c.nonempty(name, value);
        c.chars(name, value);
    }
    if g.meta.content_date.parse::<jiff::civil::Date>().is_err() {
        c.report(
            "meta.content_date",
            format!(
                "'{}' is not a date of the form YYYY-MM-DD",
                g.meta.content_date
            ),
        );
    }
    if g.blocks.is_empty() {
        c.report("blocks", "must hold at least one block");
    }

    // Block ids and advice ids share one namespace: `--omit` takes both.
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |c: &mut Checker, id: &str, path: String| {
        if !is_valid_id(id) {
            c.report(
                &path,
                format!("id '{id}' must be lowercase ASCII letters and digits joined by '-'"),
            );
        }
        if let Some(first) = ids.get(id) {
            c.report(&path, format!("id '{id}' is already used at {first}"));
        } else {
            ids.insert(id.to_string(), path);
        }
    };
    let mut red_flag_regions: BTreeMap<Region, String> = BTreeMap::new();

    for (bi, block) in g.blocks.iter().enumerate() {
        let bp = format!("blocks[{bi}]");
        claim(&mut c, &block.id, format!("{bp}.id"));
        if block.regions.is_empty() {
            c.report(format!("{bp}.regions"), "must name at least one region");
        }
        if block.variants.is_empty() {
            c.report(format!("{bp}.variants"), "must name at least one variant");
        }
        c.nonempty(&format!("{bp}.guideline_section"), &block.guideline_section);
        c.text(
            &format!("{bp}.heading"),
            &block.heading,
            &block.regions,
            None,
        );
        if block.body.is_empty() {
            c.report(format!("{bp}.body"), "must hold at least one element");
        }
        if block.kind == BlockKind::RedFlags {
            let mut whole = true;
            if block.audience != Audience::Patient {
                c.report(
                    format!("{bp}.audience"),
                    "a red_flags block must be for the patient",
                );
                whole = false;
            }
            if !block.variants.contains(&Variant::Short) || !block.variants.contains(&Variant::Full)
            {
                c.report(
                    format!("{bp}.variants"),
                    "a red_flags block must appear in both variants",
                );
                whole = false;
            }
            for &r in &block.regions {
                if let Some(first) = red_flag_regions.insert(r, bp.clone()) {
                    c.report(
                        format!("{bp}.regions"),
                        format!("{r} already has a red_flags block at {first}"),
                    );
                }
            }
            // A block missing from whole documents is reported above; don't repeat it per part.
            if whole {
                red_flag_parts(&mut c, &bp, block);
            }
        }
        let marks: BTreeSet<String> = block
            .body
            .iter()
            .filter_map(|e| match e {
                Element::Footnote(f) => Some(f.mark.clone()),
                _ => None,
            })
            .collect();

        for (ei, element) in block.body.iter().enumerate() {
            let ep = format!("{bp}.body[{ei}]");
            let scope = element.scope();
            let regions = check_scope(&mut c, &ep, scope, block);
            let audience = scope.audience().unwrap_or(block.audience);
            let refs = (audience == Audience::Therapist).then_some(&marks);
            match element {
                Element::Paragraph(p) => {
                    c.nonempty(&format!("{ep}.source"), &p.source);
                    c.text(&format!("{ep}.text"), &p.text, &regions, refs);
                }
                Element::Call(call) => {
                    c.nonempty(&format!("{ep}.source"), &call.source);
                    c.text(&format!("{ep}.text"), &call.text, &regions, None);
                    c.text(
                        &format!("{ep}.with_number"),
                        &call.with_number,
                        &regions,
                        None,
                    );
                    for (sub, s) in call.with_number.strings() {
                        if !s.contains("{call}") {
                            c.report(
                                format!("{ep}.with_number.{sub}"),
                                "must contain {call}, where the out-of-hours number goes",
                            );
                        }
                    }
                }
                Element::Footnote(f) => {
                    if audience != Audience::Therapist {
                        c.report(&ep, "footnotes are only for therapist text");
                    }
                    c.nonempty(&format!("{ep}.source"), &f.source);
                    c.text(&format!("{ep}.text"), &f.text, &regions, None);
                }
                Element::Link(l) => {
                    if audience != Audience::Therapist {
                        c.report(
                            &ep,
                            "a link is never printed in a patient handout (paper cannot be clicked); give it \"audience\": \"therapist\", or write the address into a paragraph",
                        );
                    }
                    c.nonempty(&format!("{ep}.source"), &l.source);
                    c.text(&format!("{ep}.text"), &l.text, &regions, None);
                    if let Some(problem) = crate::web::problem(&l.url) {
                        c.report(format!("{ep}.url"), format!("'{}' {problem}", l.url));
                    }
                }
                Element::List(l) | Element::Advice(l) => {
                    let advice = matches!(element, Element::Advice(_));
                    if advice && block.kind == BlockKind::RedFlags {
                        c.report(
                            &ep,
                            "warning signs are a list, not advice: advice can be chosen and left out, a warning sign never can; use \"type\": \"list\"",
                        );
                    }
                    if l.items.is_empty() {
                        c.report(format!("{ep}.items"), "must hold at least one item");
                    }
                    for (ii, item) in l.items.iter().enumerate() {
                        let ip = format!("{ep}.items[{ii}]");
                        let item_regions = narrow(
                            &mut c,
                            &ip,
                            item,
                            &regions,
                            scope.variants().unwrap_or(&block.variants),
                        );
                        if item.audience.is_some_and(|a| a != audience) {
                            c.report(
                                format!("{ip}.audience"),
                                "an item cannot change its list's audience",
                            );
                        }
                        match &item.id {
                            Some(id) => claim(&mut c, id, format!("{ip}.id")),
                            None if advice => {
                                c.report(&ip, "an advice item needs an \"id\" so it can be chosen")
                            }
                            None => {}
                        }
                        c.nonempty(&format!("{ip}.source"), &item.source);
                        c.text(&format!("{ip}.text"), &item.text, &item_regions, refs);
                    }
                }
            }
        }
    }
    for r in Region::ALL {
        if !red_flag_regions.contains_key(&r) {
            c.report(
                "blocks",
                format!(
                    "no red_flags block covers {r}; every handout must carry the red-flag warning"
                ),
            );
        }
    }
    c.problems
}

/// Proves that a red-flag box shows its warning signs and its call in every document that
/// carries it: both variants of the handout and of the therapist's guide, for each region.
/// Scopes narrow at three levels (block, element, item), so a field that looks harmless on its
/// own can empty the box in some documents; the rule used is the one selection uses.
fn red_flag_parts(c: &mut Checker, path: &str, block: &Block) {
    for part in RedFlagPart::ALL {
        let (mut lacking, mut documents) = (Vec::new(), 0);
        for &region in &block.regions {
            for variant in Variant::ALL {
                for audience in Audience::ALL {
                    documents += 1;
                    if !part.is_in(&block.shown(region, variant, audience)) {
                        lacking.push(document_name(region, variant, audience));
                    }
                }
            }
        }
        if lacking.is_empty() {
            continue;
        }
        let fix = match part {
            RedFlagPart::Signs => {
                "every document must show at least one: check the audience, regions and variants of its list and items"
            }
            RedFlagPart::Call => {
                "every document must say whom to call: give the block a call element for the patient that applies to every region and variant"
            }
        };
        let documents = if lacking.len() == documents {
            "every handout and therapist's guide".to_string()
        } else {
            and_list(&lacking)
        };
        c.report(
            format!("{path}.body"),
            format!(
                "the red-flag box '{}' would have no {} in {documents}; {fix}",
                block.id,
                part.name(),
            ),
        );
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Checks that an element only narrows its block; returns the regions it applies to.
fn check_scope(c: &mut Checker, path: &str, scope: &dyn Scoped, block: &Block) -> Vec<Region> {
    if block.audience == Audience::Therapist && scope.audience() == Some(Audience::Patient) {
        c.report(
            format!("{path}.audience"),
            "a patient element cannot sit in a therapist block",
        );
    }
    narrow(c, path, scope, &block.regions, &block.variants)
}

fn narrow(
    c: &mut Checker,
    path: &str,
    scope: &dyn Scoped,
    regions: &[Region],
    variants: &[Variant],
) -> Vec<Region> {
    if let Some(v) = scope.variants() {
        within(c, path, "variant", v, variants, |bad| {
            format!("{bad:?}").to_lowercase()
        });
    }
    match scope.regions() {
        None => regions.to_vec(),
        Some(r) => {
            within(c, path, "region", r, regions, |bad| bad.to_string());
            r.to_vec()
        }
    }
}

/// Checks that an element's list of `what`s (regions, variants) names at least one, and only
/// ones its enclosing block has.
fn within<T: PartialEq>(
    c: &mut Checker,
    path: &str,
    what: &str,
    given: &[T],
    enclosing: &[T],
    name: impl Fn(&T) -> String,
) {
    if given.is_empty() {
        c.report(
            format!("{path}.{what}s"),
            format!("must name at least one {what}, or be left out"),
        );
    }
    if let Some(bad) = given.iter().find(|x| !enclosing.contains(x)) {
        c.report(
            format!("{path}.{what}s"),
            format!("{} is not a {what} of the enclosing block", name(bad)),
        );
    }
}

/// Checks the out-of-hours numbers and returns every problem found.
pub fn out_of_hours(o: &OutOfHours, file: &str) -> Vec<Problem> {
    let mut c = Checker::new(file, o.schema_version);
    for (name, value) in [
        ("as_of", &o.as_of),
        ("source", &o.source),
        ("emergency", &o.emergency),
    ] {
        c.nonempty(name, value);
        c.chars(name, value);
    }
    if o.regions.is_empty() {
        c.report("regions", "must list at least one region");
    }
    let mut names = BTreeMap::new();
    for (i, r) in o.regions.iter().enumerate() {
        let p = format!("regions[{i}]");
        if !is_valid_id(&r.id) {
            c.report(
                format!("{p}.id"),
                format!(
                    "id '{}' must be lowercase ASCII letters and digits joined by '-'",
                    r.id
                ),
            );
        }
        for (field, value) in [("name", &r.name), ("call", &r.call)] {
            c.nonempty(&format!("{p}.{field}"), value);
            c.chars(&format!("{p}.{field}"), value);
        }
        for name in std::iter::once(&r.id)
            .chain(std::iter::once(&r.name))
            .chain(&r.aliases)
        {
            if let Some(first) = names.insert(name.to_lowercase(), p.clone())
                && first != p
            {
                c.report(&p, format!("'{name}' already names {first}"));
            }
        }
    }
    c.problems
}

/// Checks the labels and returns every problem found.
pub fn labels(l: &Labels, file: &str) -> Vec<Problem> {
    let mut c = Checker::new(file, l.schema_version);
    let templates: [(&str, &str, &[&str]); 6] = [
        ("page_of", &l.page_of, &["page", "pages"]),
        ("source_line", &l.source_line, &["source"]),
        ("version_line", &l.version_line, &["version", "date"]),
        (
            "appointment",
            &l.appointment,
            &["weekday", "day", "month", "time"],
        ),
        ("ladder_step", &l.ladder_step, &["n"]),
        ("qr_alt", &l.qr_alt, &["url"]),
    ];
    for (name, value, allowed) in templates {
        for needed in allowed {
            if !value.contains(&format!("{{{needed}}}")) {
                c.report(name, format!("must contain {{{needed}}}"));
            }
        }
        for part in value.split('{').skip(1) {
            let key = part.split('}').next().unwrap_or("");
            if !allowed.contains(&key) {
                c.report(
                    name,
                    format!(
                        "unknown placeholder {{{key}}}; allowed: {}",
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }
    for (name, value) in [
        ("patient", &l.patient),
        ("therapist", &l.therapist),
        ("date", &l.date),
        ("note_heading", &l.note_heading),
        ("bullet", &l.bullet),
        ("next_appointment", &l.next_appointment),
        ("goals_heading", &l.goals_heading),
        ("goals_blank", &l.goals_blank),
        ("ladder_heading", &l.ladder_heading),
        ("ladder_intro", &l.ladder_intro),
        ("blank_line", &l.blank_line),
        ("contact_heading", &l.contact_heading),
        ("qr_heading", &l.qr_heading),
        ("qr_caption", &l.qr_caption),
        ("therapist_title", &l.therapist_title),
        ("therapist_subtitle", &l.therapist_subtitle),
        ("advice_reference", &l.advice_reference),
        ("logo_alt", &l.logo_alt),
    ] {
        c.nonempty(name, value);
        c.chars(name, value);
    }
    if l.weekdays.len() != 7 {
        c.report(
            "weekdays",
            format!(
                "must list 7 weekday names, Monday first, found {}",
                l.weekdays.len()
            ),
        );
    }
    if l.months.len() != 12 {
        c.report(
            "months",
            format!("must list 12 month names, found {}", l.months.len()),
        );
    }
    for (i, m) in l.months.iter().enumerate() {
        c.nonempty(&format!("months[{i}]"), m);
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> serde_json::Value {
        serde_json::from_str(include_str!("../../content/guideline.json")).unwrap()
    }

    /// The index of a block by id, so tests survive reordering.
    fn block(v: &serde_json::Value, id: &str) -> usize {
        v["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .position(|b| b["id"] == id)
            .unwrap()
    }

    fn problems(v: serde_json::Value) -> Vec<Problem> {
        let g: Guideline = serde_json::from_value(v).unwrap();
        guideline(&g, "g.json")
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("hold-dig-aktiv"));
        assert!(is_valid_id("a1"));
        assert!(!is_valid_id("Hold"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("blød"));
    }

    #[test]
    fn duplicate_id_is_reported_with_both_paths() {
        let mut v = base();
        v["blocks"][1]["id"] = v["blocks"][0]["id"].clone();
        let p = problems(v);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "blocks[1].id");
        assert!(p[0].message.contains("already used at blocks[0].id"));
    }

    #[test]
    fn every_problem_is_collected() {
        let mut v = base();
        let b = block(&v, "viden-om-tilstanden");
        v["blocks"][b]["heading"]["full"] = "**open".into();
        v["blocks"][b]["body"][0]["text"]["full"] = "".into();
        v["meta"]["content_date"] = "26/11/2026".into();
        let p = problems(v);
        let paths: Vec<String> = p.iter().map(|p| p.path.clone()).collect();
        assert!(
            paths.contains(&format!("blocks[{b}].heading.full")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&format!("blocks[{b}].body[0].text.full")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"meta.content_date".to_string()),
            "{paths:?}"
        );
    }

    #[test]
    fn missing_red_flags_for_a_region() {
        let mut v = base();
        let blocks = v["blocks"].as_array_mut().unwrap();
        blocks.retain(|b| b["kind"] != "red_flags");
        let p = problems(v);
        assert!(
            p.iter()
                .any(|p| p.message.contains("no red_flags block covers lumbar"))
        );
        assert!(
            p.iter()
                .any(|p| p.message.contains("no red_flags block covers cervical"))
        );
    }

    #[test]
    fn a_call_for_one_region_leaves_the_other_regions_documents_without_it() {
        let mut v = base();
        let b = block(&v, "roede-flag");
        let body = v["blocks"][b]["body"].as_array_mut().unwrap();
        let call = body.iter_mut().find(|e| e["type"] == "call").unwrap();
        call["regions"] = serde_json::json!(["lumbar"]);
        call["text"].as_object_mut().unwrap().remove("cervical");
        let p = problems(v);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, format!("blocks[{b}].body"));
        assert!(
            p[0].message.starts_with(
                "the red-flag box 'roede-flag' would have no call (whom to contact) in the full cervical handout, the full cervical therapist's guide, the short cervical handout and the short cervical therapist's guide; "
            ),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn a_link_needs_the_therapist_audience() {
        let link = serde_json::json!({
            "type": "link", "source": "test", "text": {"full": "Læs mere"},
            "url": "https://www.sundhed.dk/"
        });
        let mut v = base();
        let b = block(&v, "prognose");
        v["blocks"][b]["body"]
            .as_array_mut()
            .unwrap()
            .push(link.clone());
        let p = problems(v);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, format!("blocks[{b}].body[3]"));
        assert!(
            p[0].message
                .starts_with("a link is never printed in a patient handout")
        );

        let mut v = base();
        let mut link = link;
        link["audience"] = "therapist".into();
        v["blocks"][b]["body"].as_array_mut().unwrap().push(link);
        assert_eq!(problems(v), []);
    }

    #[test]
    fn regional_wording_outside_scope() {
        let mut v = base();
        // sund-vaegt is lumbar only; a neck wording for it is a mistake.
        let item = v["blocks"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .flat_map(|b| b["body"].as_array_mut().unwrap().iter_mut())
            .filter_map(|e| e.get_mut("items"))
            .flat_map(|i| i.as_array_mut().unwrap().iter_mut())
            .find(|i| i["id"] == "sund-vaegt")
            .unwrap();
        item["text"]["cervical"] = serde_json::json!({"full": "x"});
        let p = problems(v);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].message
                .contains("has a cervical wording, but applies only to lumbar")
        );
    }

    #[test]
    fn footnote_in_patient_text() {
        let mut v = base();
        let b = block(&v, "viden-om-tilstanden");
        v["blocks"][b]["body"][0]["text"]["full"] = "tekst[^1]".into();
        let p = problems(v);
        assert!(
            p[0].message.contains("only allowed in therapist text"),
            "{p:?}"
        );
    }

    #[test]
    fn bidi_override_in_content() {
        let mut v = base();
        v["meta"]["source"] = "abc\u{202E}def".into();
        let p = problems(v);
        assert!(p[0].message.contains("U+202E"), "{p:?}");
    }
}
