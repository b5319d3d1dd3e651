//! The SVG preview against the layout it is drawn from and the PDF made from the same layout:
//! glyphs where the layout puts them, nothing dropped, the clinic's logo and QR code, and (with
//! Chromium) the same picture as the PDF's page.

mod util;

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use pjece::Engine;
use pjece::content::Region;
use pjece::fonts::Face;
use pjece::layout::{Document, Item, NodeKind, Positioned, Role};
use pjece::select::Choices;
use pjece::svg::Preview;
use rustybuzz::ttf_parser;
use util::Dir;

fn lumbar() -> Choices {
    let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
    // A name with letters from the fallback font, drawn scaled.
    c.patient = Some("Nguyễn Thị Ánh".into());
    c.therapist = Some("Mette Kjær".into());
    c.note = Some("Husk øvelserne morgen og aften.".into());
    c
}

fn clinic_engine() -> Engine {
    let engine = Engine::embedded().unwrap();
    let clinic = pjece::load_clinic(
        &util::fixture_path("clinic.json"),
        &engine.content,
        &engine.fonts,
    )
    .unwrap();
    engine.with_clinic(Some(clinic))
}

fn layout(engine: &Engine, choices: &Choices) -> Document {
    let mut shaper = engine.shaper().unwrap();
    engine.layout(choices, &mut shaper).unwrap()
}

/// A `<use>` of a glyph: the `<path>` it shows and where.
#[derive(Debug, PartialEq)]
struct Use {
    href: String,
    x: f32,
    y: f32,
    scale: f32,
}

/// The value of attribute `name` in the element text `element`.
fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    Some(&element[start..start + element[start..].find('"')?])
}

/// The numbers in `text`, in order.
fn numbers(text: &str) -> Vec<f32> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Every element `<tag …>` of `svg`, as text.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(at, _)| &svg[at..at + svg[at..].find('>').unwrap() + 1])
        .collect()
}

fn uses(svg: &str) -> Vec<Use> {
    elements(svg, "use")
        .into_iter()
        .map(|e| {
            // translate(x y) scale(s -s)
            let n = numbers(attr(e, "transform").unwrap());
            assert_eq!(n.len(), 4, "{e}");
            assert_eq!(n[3], -n[2], "{e}");
            Use {
                href: attr(e, "href").unwrap().trim_start_matches('#').to_string(),
                x: n[0],
                y: n[1],
                scale: n[2],
            }
        })
        .collect()
}

/// The id `pjece::svg` gives a glyph's path.
fn path_id(face: Face, glyph: u16) -> String {
    let weight = match face.weight {
        pjece::fonts::Weight::Regular => "R",
        pjece::fonts::Weight::Bold => "B",
    };
    let fallback = if face.fallback { "f" } else { "" };
    format!("g-{fallback}{weight}-{glyph}")
}

/// Whether a glyph has ink (a space has none and needs no `<use>`).
fn inked(engine: &Engine, face: Face, glyph: u16) -> bool {
    let f = ttf_parser::Face::parse(engine.fonts.face(face).bytes(), 0).unwrap();
    f.glyph_bounding_box(ttf_parser::GlyphId(glyph)).is_some()
}

/// The first item `pick` takes, in page order: its page's index, its placing and what `pick`
/// made of it.
fn first_item<'d, T>(
    doc: &'d Document,
    pick: impl Fn(&'d Item) -> Option<T>,
) -> Option<(usize, &'d Positioned, T)> {
    doc.pages.iter().enumerate().find_map(|(i, page)| {
        page.items
            .iter()
            .find_map(|p| pick(&p.item).map(|found| (i, p, found)))
    })
}

#[test]
fn the_titles_first_glyph_is_where_the_layout_puts_it() {
    let engine = Engine::embedded().unwrap();
    let doc = layout(&engine, &lumbar());
    let svg = Preview::new(&engine.fonts).unwrap().page(&doc, 0).unwrap();
    // The first text on page 1 is the title, a level-1 heading.
    let (page, p, run) = first_item(&doc, |item| match item {
        Item::Text(run) => Some(run),
        _ => None,
    })
    .unwrap();
    assert_eq!(page, 0);
    let Role::Content(node) = p.role else {
        panic!("the title is content")
    };
    assert!(matches!(
        doc.nodes[node].kind,
        NodeKind::Heading { level: 1, .. }
    ));
    assert!(doc.title.starts_with(&run.text), "{}", run.text);
    let glyph = &run.glyphs[0];
    let first = &uses(&svg)[0];
    assert_eq!(first.href, path_id(run.face, glyph.id));
    let want_x = p.x + glyph.x_offset * run.size;
    let want_y = p.y - glyph.y_offset * run.size;
    assert!(
        (first.x - want_x).abs() <= 0.006 && (first.y - want_y).abs() <= 0.006,
        "drawn at ({}, {}), laid out at ({want_x}, {want_y})",
        first.x,
        first.y
    );
    // At the run's size: points per font unit.
    let upem = ttf_parser::Face::parse(engine.fonts.face(run.face).bytes(), 0)
        .unwrap()
        .units_per_em() as f32;
    assert!((first.scale - run.size / upem).abs() < 1e-6, "{first:?}");
    // Its path is defined once on the page.
    let defined = format!(r#"<path id="{}" d="M"#, first.href);
    assert_eq!(svg.matches(&defined).count(), 1);
}

#[test]
fn every_inked_glyph_of_every_run_is_drawn_in_order() {
    let engine = Engine::embedded().unwrap();
    let doc = layout(&engine, &lumbar());
    let preview = Preview::new(&engine.fonts).unwrap();
    let mut fallback_glyphs = 0;
    for (index, page) in doc.pages.iter().enumerate() {
        let svg = preview.page(&doc, index).unwrap();
        let mut glyphs = 0;
        let mut want = Vec::new();
        for p in &page.items {
            if let Item::Text(run) = &p.item {
                glyphs += run.glyphs.len();
                for g in &run.glyphs {
                    if inked(&engine, run.face, g.id) {
                        want.push(path_id(run.face, g.id));
                        fallback_glyphs += run.face.fallback as usize;
                    }
                }
            }
        }
        let drawn: Vec<String> = uses(&svg).into_iter().map(|u| u.href).collect();
        assert!(
            drawn.len() > 500,
            "page {}: {} glyphs",
            index + 1,
            drawn.len()
        );
        // Only spaces and other blank glyphs go without a <use>.
        assert!(glyphs - drawn.len() < glyphs / 4, "page {}", index + 1);
        assert_eq!(drawn, want, "page {}", index + 1);
    }
    assert!(fallback_glyphs > 0, "the name's Vietnamese letters");
}

#[test]
fn one_picture_per_page_of_the_layout() {
    let engine = Engine::embedded().unwrap();
    let preview = Preview::new(&engine.fonts).unwrap();
    let mut large = lumbar();
    large.large_print = true;
    let standard = layout(&engine, &lumbar());
    let large = layout(&engine, &large);
    assert!(large.pages.len() > standard.pages.len());
    for doc in [standard, large] {
        let pages = preview.pages(&doc);
        assert_eq!(pages.len(), doc.pages.len());
        assert_eq!(preview.page(&doc, doc.pages.len()), None);
        for (i, svg) in pages.iter().enumerate() {
            util::assert_starts_with(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
            assert!(svg.ends_with("</svg>"));
            let root = elements(svg, "svg")[0];
            let page = &doc.pages[i];
            let view = numbers(attr(root, "viewBox").unwrap());
            let want = [0.0, 0.0, page.width, page.height];
            assert!(
                view.len() == 4 && view.iter().zip(want).all(|(a, b)| (a - b).abs() <= 0.006),
                "{view:?} {want:?}"
            );
            assert_eq!(attr(root, "role"), Some("img"));
            let label = format!("Side {} af {}", i + 1, doc.pages.len());
            assert_eq!(attr(root, "aria-label"), Some(label.as_str()));
        }
    }
}

#[test]
fn a_clinic_handout_shows_the_logo_and_the_qr_code() {
    let engine = clinic_engine();
    let preview = Preview::new(&engine.fonts).unwrap();
    let doc = layout(&engine, &lumbar());
    let pages = preview.pages(&doc);
    // The logo: the file's own bytes, at the layout's place and size.
    let images: Vec<&str> = pages.iter().flat_map(|s| elements(s, "image")).collect();
    assert_eq!(images.len(), 1, "one logo");
    let (page, p, logo) = first_item(&doc, |item| match item {
        Item::Image(i) => Some(i),
        _ => None,
    })
    .expect("the logo");
    assert_eq!(page, 0, "the logo is on page 1");
    assert!(elements(&pages[0], "image").len() == 1);
    let href = attr(images[0], "href").unwrap();
    let data = href.strip_prefix("data:image/png;base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    assert_eq!(
        bytes,
        std::fs::read(util::fixture_path("logo.png")).unwrap()
    );
    let place = ["x", "y", "width", "height"].map(|a| numbers(attr(images[0], a).unwrap())[0]);
    let want = [p.x, p.y, logo.width, logo.height];
    assert!(
        place.iter().zip(want).all(|(a, b)| (a - b).abs() <= 0.006),
        "{place:?} {want:?}"
    );

    // The QR code: one black path whose squares are exactly the layout's dark modules.
    let (page, p, qr) = first_item(&doc, |item| match item {
        Item::Qr(q) => Some(q),
        _ => None,
    })
    .expect("the clinic's QR code");
    let paths: Vec<&str> = elements(&pages[page], "path")
        .into_iter()
        .filter(|e| attr(e, "fill") == Some("#000"))
        .collect();
    assert_eq!(paths.len(), 1);
    let t = numbers(attr(paths[0], "transform").unwrap());
    assert!((t[0] - p.x).abs() <= 0.006 && (t[1] - p.y).abs() <= 0.006);
    assert!((t[2] - qr.module).abs() < 1e-5);
    // "M{col} {row}h{len}v1h-{len}z" a run of dark modules in a row.
    let mut dark = vec![false; qr.count * qr.count];
    for run in attr(paths[0], "d").unwrap().split('M').skip(1) {
        let n = numbers(run);
        let (col, row, len) = (n[0] as usize, n[1] as usize, n[2] as usize);
        assert_eq!(n[3..], [1.0, -(len as f32)], "{run}");
        for c in col..col + len {
            assert!(!dark[row * qr.count + c], "module ({row}, {c}) drawn twice");
            dark[row * qr.count + c] = true;
        }
    }
    assert_eq!(dark, *qr.modules);

    // Without a QR address there is no QR path.
    let mut no_qr = lumbar();
    no_qr.no_qr = true;
    let doc = layout(&engine, &no_qr);
    for svg in preview.pages(&doc) {
        util::assert_lacks(&svg, &[r##"<path fill="#000""##]);
    }
}

/// A grey picture: one byte a pixel, dark below 128.
type Picture = util::Grey;

impl Picture {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x] < 128
    }

    /// Whether any pixel within one of (x, y) is dark: rasterisers differ by a pixel at edges
    /// (poppler puts glyphs on whole pixels vertically, Chromium does not).
    fn dark_near(&self, x: usize, y: usize) -> bool {
        (y.saturating_sub(1)..=(y + 1).min(self.height - 1))
            .any(|y| (x.saturating_sub(1)..=(x + 1).min(self.width - 1)).any(|x| self.dark(x, y)))
    }
}

fn read_png(path: &Path) -> Picture {
    let file = std::io::Cursor::new(std::fs::read(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| {
            if channels >= 3 {
                ((px[0] as u32 * 299 + px[1] as u32 * 587 + px[2] as u32 * 114) / 1000) as u8
            } else {
                px[0]
            }
        })
        .collect();
    Picture {
        width: info.width as usize,
        height: info.height as usize,
        pixels: grey,
    }
}

/// Pixels per point of both pictures: 2 CSS pixels per pixel, 192 dpi.
const DPI: u32 = 192;

/// Page `page` (1-based) of a PDF rendered by poppler.
fn pdf_page(pdf: &Path, page: usize) -> Picture {
    let p = page.to_string();
    util::pdftoppm_grey(
        pdf,
        &["-r", &DPI.to_string(), "-singlefile", "-f", &p, "-l", &p],
    )
}

/// An SVG file rendered by headless Chromium at [`DPI`], or `None` without Chromium.
fn chromium(dir: &Dir, svg: &Path, width_pt: f32, height_pt: f32) -> Option<Picture> {
    let shot = svg.with_extension("png");
    // CSS pixels: 96 an inch; the device scale doubles them.
    let css = |pt: f32| (pt * 96.0 / 72.0).ceil() as u32;
    let run = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path("chromium").display()
        ))
        .arg(format!(
            "--window-size={},{}",
            css(width_pt),
            css(height_pt)
        ))
        .arg(format!("--force-device-scale-factor={}", DPI / 96))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", svg.display()))
        .output();
    match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("chromium does not start: {e}"),
        Ok(out) => {
            assert!(
                out.status.success() && shot.is_file(),
                "chromium: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(read_png(&shot))
        }
    }
}

/// The share of dark pixels of either picture with no dark pixel near them in the other.
fn mismatch(a: &Picture, b: &Picture) -> f64 {
    let (w, h) = (a.width.min(b.width), a.height.min(b.height));
    let (mut dark, mut unmatched) = (0usize, 0usize);
    for y in 0..h {
        for x in 0..w {
            let (da, db) = (a.dark(x, y), b.dark(x, y));
            dark += (da || db) as usize;
            unmatched += (da && !b.dark_near(x, y)) as usize + (db && !a.dark_near(x, y)) as usize;
        }
    }
    assert!(dark > w * h / 100, "the pages have text");
    unmatched as f64 / dark as f64
}

/// Chromium's picture of the SVG and poppler's of the PDF agree to a pixel at 192 dpi: the
/// same lines, breaks and positions. Skipped without Chromium.
#[test]
fn chromium_draws_the_svg_as_poppler_draws_the_pdf() {
    let engine = clinic_engine();
    let doc = layout(&engine, &lumbar());
    let dir = Dir::new();
    let pdf = dir.write("handout.pdf", engine.render(&doc).unwrap());
    let preview = Preview::new(&engine.fonts).unwrap();
    let mut pictures = Vec::new();
    // Page 1 has the logo, the red-flag box and the fallback name; the last page the QR code.
    for page in [0, doc.pages.len() - 1] {
        let svg = dir.path(&format!("page-{}.svg", page + 1));
        std::fs::write(&svg, preview.page(&doc, page).unwrap()).unwrap();
        let size = (doc.pages[page].width, doc.pages[page].height);
        let Some(picture) = chromium(&dir, &svg, size.0, size.1) else {
            eprintln!("SKIPPED: chromium is not installed; the SVG was not compared with the PDF");
            return;
        };
        pictures.push((page, picture));
    }
    for (page, picture) in &pictures {
        let poppler = pdf_page(&pdf, page + 1);
        let m = mismatch(picture, &poppler);
        eprintln!(
            "page {}: {:.3} % of dark pixels differ",
            page + 1,
            m * 100.0
        );
        assert!(
            m < 0.02,
            "page {}: {:.2} % of dark pixels differ",
            page + 1,
            m * 100.0
        );
    }
    // The measure tells pages apart: the first page's picture is not the last page's PDF.
    let other = pdf_page(&pdf, doc.pages.len());
    let m = mismatch(&pictures[0].1, &other);
    eprintln!("page 1 against the last: {:.1} %", m * 100.0);
    assert!(m > 0.2, "{:.2} %", m * 100.0);
}
