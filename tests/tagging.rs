//! The accessible structure, read back with `pdfinfo -struct-text` and `qpdf --json`.

mod util;

use std::process::Command;
use util::Dir;

/// A structure element: its type and the text and children under it.
#[derive(Debug)]
struct Elem {
    kind: String,
    text: Vec<String>,
    children: Vec<Elem>,
}

impl Elem {
    fn all_text(&self) -> String {
        let mut s = self.text.join(" ");
        for c in &self.children {
            s.push(' ');
            s.push_str(&c.all_text());
        }
        s
    }
    fn kinds(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.kind.as_str()).collect()
    }
}

/// Parses the indented tree `pdfinfo -struct-text` prints.
fn structure(pdf: &std::path::Path) -> Elem {
    let out = Command::new("pdfinfo")
        .args(["-struct-text", pdf.to_str().unwrap()])
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut stack: Vec<(usize, Elem)> = vec![(
        0,
        Elem {
            kind: "root".into(),
            text: vec![],
            children: vec![],
        },
    )];
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len() + 1;
        let t = line.trim();
        if t.is_empty() || t.starts_with('/') {
            continue;
        }
        while stack.len() > 1 && stack.last().unwrap().0 >= indent {
            let (_, done) = stack.pop().unwrap();
            stack.last_mut().unwrap().1.children.push(done);
        }
        if let Some(quoted) = t.strip_prefix('"') {
            stack
                .last_mut()
                .unwrap()
                .1
                .text
                .push(quoted.trim_end_matches('"').to_string());
        } else {
            let kind = t.split([' ', ':']).next().unwrap().to_string();
            stack.push((
                indent,
                Elem {
                    kind,
                    text: vec![],
                    children: vec![],
                },
            ));
        }
    }
    while stack.len() > 1 {
        let (_, done) = stack.pop().unwrap();
        stack.last_mut().unwrap().1.children.push(done);
    }
    stack.pop().unwrap().1
}

#[test]
fn headings_lists_and_the_red_flag_section() {
    let dir = Dir::new();
    for region in ["lumbar", "cervical"] {
        dir.handout(
            region,
            &["--patient", "Søren Ærø", "--note", "Hej"],
            "t.pdf",
        );
        let root = structure(&dir.path("t.pdf"));
        assert_eq!(root.kinds(), ["Document"], "{root:#?}");
        let doc = &root.children[0];
        assert_eq!(doc.children[0].kind, "H1");
        assert!(
            doc.children[0]
                .all_text()
                .starts_with("Nerverodspåvirkning i ")
        );
        let sections: Vec<&Elem> = doc.children.iter().filter(|c| c.kind == "Sect").collect();
        // Every section opens with its H2.
        for s in &sections {
            assert_eq!(s.children[0].kind, "H2", "{s:#?}");
        }
        let red = sections
            .iter()
            .find(|s| s.children[0].all_text().contains("Søg læge med det samme"))
            .expect("red-flag section");
        let list = red
            .children
            .iter()
            .find(|c| c.kind == "L")
            .expect("red flags as a list");
        assert!(list.children.len() >= 3);
        for li in &list.children {
            assert_eq!(li.kind, "LI");
            assert_eq!(li.kinds(), ["Lbl", "LBody"]);
            assert_eq!(li.children[0].all_text().trim(), "•");
        }
        // Footers and page numbers are artifacts: not in the structure.
        let all = doc.all_text();
        assert!(!all.contains("Side 1 af"), "page numbers must be artifacts");
        assert!(!all.contains("Bygger på"), "footers must be artifacts");
        assert!(all.contains("Hej"), "the note is content");
    }
}

#[test]
fn outline_has_a_bookmark_per_section_in_order() {
    let dir = Dir::new();
    dir.handout("lumbar", &[], "o.pdf");
    let out = Command::new("qpdf")
        .args([
            "--json",
            "--json-key=outlines",
            dir.path("o.pdf").to_str().unwrap(),
        ])
        .output()
        .expect("qpdf runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles = util::json::strings_at(&json["outlines"], "title");
    assert_eq!(
        titles,
        [
            "Søg læge med det samme, hvis du",
            "Hvad er nerverodspåvirkning?",
            "Udsigterne er gode",
            "Gode råd om egenhåndtering",
            "Hvorfor gør det ondt?",
            "Behandling",
            "Gode råd til dig med nerverodspåvirkning i lænden"
        ]
    );
    let pages: Vec<u64> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["destpageposfrom1"].as_u64().unwrap())
        .collect();
    assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");
    assert_eq!(pages[0], 1, "the red-flag box is on the first page");
}

#[test]
fn qpdf_finds_no_errors() {
    let dir = Dir::new();
    dir.handout("cervical", &["--short"], "q.pdf");
    let out = Command::new("qpdf")
        .args(["--check", dir.path("q.pdf").to_str().unwrap()])
        .output()
        .expect("qpdf runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    util::assert_contains(&text, &["No syntax or stream encoding errors found"]);
}
